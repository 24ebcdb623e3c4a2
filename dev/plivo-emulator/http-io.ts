// Thin node:http helpers: read a body the way Plivo accepts it, answer in Plivo's envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { newUuid } from './wire-format';

export type Params = Record<string, unknown>;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * JSON (what the SDK sends) or form-encoded (what curl -d sends). The SDK sends `""` as the body
 * of every GET, and a JSON string is not a parameter object, so anything that is not an object
 * counts as "no parameters" instead of an error.
 */
export function parseParams(body: string, contentType: string | undefined): Params | null {
  const text = body.trim();
  if (text === '' || text === '""') return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Params) : {};
  } catch {
    return null;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendRaw(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Plivo's error envelope: {"api_id": "<uuid>", "error": "<text>"}. */
export function sendPlivoError(res: ServerResponse, status: number, error: string, headers?: Record<string, string>): void {
  sendJson(res, status, { api_id: newUuid(), error }, headers);
}

/** The words Plivo-style errors use for a bare status ("service unavailable", "too many requests"). */
export function statusPhrase(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase();
}

export interface BasicCredentials {
  username: string;
  password: string;
}

export function basicCredentials(header: string | undefined): BasicCredentials | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The dev endpoints hand out codes, so they only answer callers on this machine. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A string parameter, or undefined when absent; numbers are accepted and stringified (otp: 123456). */
export function stringParam(params: Params, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}
