// Fault injection for the Plivo endpoints: tests and developers ask, through POST /dev/faults, for
// the next N requests of one endpoint to be slow, fail, hang or come back as broken JSON, so the
// app's handling of a misbehaving Plivo can be exercised without Plivo.
import type { ServerResponse } from 'node:http';
import { sendPlivoError, sendRaw, statusPhrase } from './http-io';
import { newUuid } from './wire-format';

export const ENDPOINTS = ['create', 'validate', 'get', 'list', 'account'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];
const FAULT_KINDS = ['latency', 'status', 'hang', 'malformed'] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  endpoint: Endpoint | '*';
  kind: FaultKind;
  /** Delay before the fault acts (for "latency", before the normal answer). */
  ms: number;
  status: number;
  body: string | undefined;
  /** Requests left to hit; Infinity means until DELETE /dev/faults or /dev/reset. */
  remaining: number;
}

export type ParsedFault = { ok: true; fault: Fault } | { ok: false; error: string };

export function parseFault(input: Record<string, unknown>): ParsedFault {
  const { endpoint, kind, ms = 0, status = 503, body, times } = input;
  if (endpoint !== '*' && !ENDPOINTS.includes(endpoint as Endpoint)) {
    return { ok: false, error: `endpoint must be one of ${[...ENDPOINTS, '*'].join(', ')}` };
  }
  if (!FAULT_KINDS.includes(kind as FaultKind)) {
    return { ok: false, error: `kind must be one of ${FAULT_KINDS.join(', ')}` };
  }
  if (typeof ms !== 'number' || !(ms >= 0)) return { ok: false, error: 'ms must be a number >= 0' };
  if (kind === 'latency' && ms === 0) return { ok: false, error: 'latency needs ms > 0' };
  if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
    return { ok: false, error: 'status must be an HTTP status (200-599)' };
  }
  if (body !== undefined && typeof body !== 'string') return { ok: false, error: 'body must be a string' };
  if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1)) {
    return { ok: false, error: 'times must be a positive integer' };
  }
  return {
    ok: true,
    fault: {
      endpoint: endpoint as Endpoint | '*',
      kind: kind as FaultKind,
      ms,
      status: status as number,
      body,
      remaining: (times as number | undefined) ?? Infinity,
    },
  };
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults = [];
  }

  get size(): number {
    return this.faults.length;
  }

  /** The oldest fault that matches, used up by one request. */
  take(endpoint: Endpoint): Fault | undefined {
    const fault = this.faults.find((f) => f.endpoint === '*' || f.endpoint === endpoint);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}

/**
 * Acts out a fault. Returns true when the request is finished (answered or left hanging), false
 * when it should go on to the normal handler ("latency").
 */
export async function actOut(fault: Fault, res: ServerResponse, delay: (ms: number) => Promise<void>): Promise<boolean> {
  if (fault.ms > 0) await delay(fault.ms);
  switch (fault.kind) {
    case 'latency':
      return false;
    case 'hang':
      // Never answer; the server's close() destroys the socket.
      return true;
    case 'malformed':
      // Cut-off JSON with a JSON content type, like a proxy dropping the connection mid-body.
      sendRaw(res, 200, `{"api_id": "${newUuid()}", "message": "Session initi`, 'application/json');
      return true;
    case 'status':
      if (fault.body === undefined) sendPlivoError(res, fault.status, statusPhrase(fault.status));
      else sendRaw(res, fault.status, fault.body, contentTypeOf(fault.body));
      return true;
  }
}

/** A custom body is sent with the type it looks like: JSON, an HTML error page, or plain text. */
function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
  }
}
