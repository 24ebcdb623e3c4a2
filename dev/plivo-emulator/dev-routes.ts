// Developer endpoints under /dev/: not part of Plivo, no auth, loopback callers only. They expose
// what a real phone would show (the code) and control the emulator (faults, clock, reset).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import { parseFault } from './faults';
import { parseRule } from './recipient-rules';
import { isLoopback, parseParams, readBody, sendJson } from './http-io';
import { currentChannel, statusOf, type Session } from './session-model';
// The app's masking, so a log line hides the same digits (and the length) wherever it is written.
import { maskPhone } from '../../lib/phone';
import { formatTimestamp, stripPlus } from './wire-format';

const RECENT_CAP = 50;

type DevHandler = (ctx: EmulatorContext, url: URL, body: Record<string, unknown>, res: ServerResponse) => void;

const ROUTES: Record<string, Partial<Record<string, DevHandler>>> = {
  '/dev/health': { GET: (_ctx, _url, _body, res) => sendJson(res, 200, { status: 'ok' }) },
  '/dev/sessions': { GET: listSessions },
  '/dev/faults': { POST: addFault, DELETE: clearFaults },
  '/dev/recipients': { POST: addRecipientRule, DELETE: clearRecipientRules },
  '/dev/clock': { POST: advanceClock },
  '/dev/reset': { POST: reset },
};

export async function handleDev(ctx: EmulatorContext, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    return sendJson(res, 403, { error: 'dev endpoints answer loopback callers only' });
  }
  const methods = ROUTES[url.pathname.replace(/\/+$/, '')];
  if (!methods) return sendJson(res, 404, { error: 'not found' });
  const handler = methods[req.method ?? 'GET'];
  if (!handler) {
    return sendJson(res, 405, { error: 'method not allowed' }, { Allow: Object.keys(methods).join(', ') });
  }
  const body = parseParams(await readBody(req), req.headers['content-type']);
  if (body === null) return sendJson(res, 400, { error: 'body must be JSON' });
  handler(ctx, url, body, res);
}

/** One code "sent", as GET /dev/sessions lists it (the inbox page and the tests read these). */
export type DevSession = {
  session_uuid: string;
  recipient: string;
  channel: string;
  status: string;
  code: string;
  locale: string;
  created_at: string;
  deliveries: number;
  validations: number;
};

/**
 * The codes "sent" to a phone, newest first. With ?recipient= (with or without "+") only that
 * number's sessions, echoing the recipient as asked; otherwise the latest sessions of everyone.
 */
function listSessions(ctx: EmulatorContext, url: URL, _body: Record<string, unknown>, res: ServerResponse): void {
  const asked = url.searchParams.get('recipient');
  const now = ctx.clock.now();
  const view = (s: Session): DevSession => ({
    session_uuid: s.uuid,
    recipient: asked ?? `+${s.recipient}`,
    channel: currentChannel(s),
    status: statusOf(s, now),
    code: s.code,
    // The language the text or call would have used, as the create asked for it.
    locale: s.locale,
    created_at: formatTimestamp(s.createdAt),
    // How often the code went out and how many codes were checked against it, so tests can count
    // what reached Plivo.
    deliveries: s.attempts.length,
    validations: s.validations,
  });
  const all = ctx.store.newestFirst();
  const sessions = asked === null ? all.slice(0, RECENT_CAP) : all.filter((s) => s.recipient === stripPlus(asked.trim()));
  sendJson(res, 200, { sessions: sessions.map(view) });
}

function addFault(ctx: EmulatorContext, _url: URL, body: Record<string, unknown>, res: ServerResponse): void {
  const parsed = parseFault(body);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  ctx.faults.add(parsed.fault);
  const { endpoint, kind, remaining } = parsed.fault;
  ctx.log(`fault armed: ${kind} on ${endpoint} (${Number.isFinite(remaining) ? `${remaining}x` : 'until cleared'})`);
  sendJson(res, 200, { faults: ctx.faults.size });
}

function clearFaults(ctx: EmulatorContext, _url: URL, _body: Record<string, unknown>, res: ServerResponse): void {
  ctx.faults.clear();
  sendJson(res, 200, { faults: 0 });
}

function addRecipientRule(ctx: EmulatorContext, _url: URL, body: Record<string, unknown>, res: ServerResponse): void {
  const parsed = parseRule(body);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  ctx.recipients.push(parsed.rule);
  const { prefix, refuse, maxAttempts, failSms } = parsed.rule;
  const effects = [refuse, maxAttempts && `at most ${maxAttempts} deliveries a session`, failSms && `texts fail (${failSms})`];
  ctx.log(`recipient rule for ${maskPhone(prefix)}: ${effects.filter(Boolean).join(', ')}`);
  sendJson(res, 200, { rules: ctx.recipients.length });
}

function clearRecipientRules(ctx: EmulatorContext, _url: URL, _body: Record<string, unknown>, res: ServerResponse): void {
  ctx.recipients.length = 0;
  sendJson(res, 200, { rules: 0 });
}

function advanceClock(ctx: EmulatorContext, _url: URL, body: Record<string, unknown>, res: ServerResponse): void {
  const seconds = body.advanceSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    return sendJson(res, 400, { error: 'advanceSeconds must be a number >= 0' });
  }
  ctx.clock.advance(seconds);
  // Send the "expired" callbacks now rather than at the next sweep tick.
  ctx.sweepExpired();
  sendJson(res, 200, { now: formatTimestamp(ctx.clock.now()), offsetSeconds: ctx.clock.offsetSeconds() });
}

function reset(ctx: EmulatorContext, _url: URL, _body: Record<string, unknown>, res: ServerResponse): void {
  ctx.store.clear();
  ctx.faults.clear();
  ctx.recipients.length = 0;
  ctx.clock.reset();
  ctx.log('reset: sessions, faults, recipient rules and clock offset dropped');
  sendJson(res, 200, { status: 'ok' });
}
