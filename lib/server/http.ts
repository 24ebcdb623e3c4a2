import 'server-only';

import type { z } from 'zod';

import { requestLocale } from '@/lib/i18n/request';
import { clientDevice, clientIp } from './client-ip';
import { getEnv } from './env';
import { API_CACHE_CONTROL, ApiError, errorResponse, SignInFailure } from './errors';
import { logEvent, type AuthEvent, type LogFields, type LogSubject } from './log';
import { openSession, requestCookies, type OpenSession } from './session/cookie';
import type { SessionData } from './sign-in/session-data';

const MAX_BODY_BYTES = 4096;

/**
 * Refuses cross-site requests: browsers send Origin on POST, and Sec-Fetch-Site where they can.
 * Next checks the origin of Server Actions only, not of route handlers.
 */
export function assertSameOrigin(request: Request) {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== new URL(getEnv().APP_URL).origin) throw new ApiError('forbidden_origin');
  if (request.headers.get('sec-fetch-site') === 'cross-site') throw new ApiError('forbidden_origin');
  // A cross-site form cannot send JSON without a CORS preflight, which we never grant.
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError('forbidden_origin');
}

/** Reads a small JSON body and validates it; anything else is `invalid_request`. */
async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse((await readJsonBody(request, MAX_BODY_BYTES)).value);
  if (!parsed.success) throw new ApiError('invalid_request');
  return parsed.data;
}

/** A body of at most `maxBytes` that is JSON, as text and parsed (once); anything else is `invalid_request`. */
async function readJsonBody(request: Request, maxBytes: number): Promise<{ text: string; value: unknown }> {
  try {
    const text = await readSmallBody(request, maxBytes);
    return { text, value: JSON.parse(text) };
  } catch {
    throw new ApiError('invalid_request');
  }
}

/** A JSON body of at most `maxBytes`, as its text (to forward as it came); anything else is `invalid_request`. */
export async function readJsonText(request: Request, maxBytes: number): Promise<string> {
  return (await readJsonBody(request, maxBytes)).text;
}

/** The body as text, refusing (without buffering it all) anything over `maxBytes`. */
export async function readSmallBody(request: Request, maxBytes: number): Promise<string> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw new ApiError('invalid_request');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new ApiError('invalid_request'); // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

type Handled = { session?: SessionData; body: unknown; log?: Partial<LogFields> };

/**
 * The frame of every state-changing auth route: same-origin and JSON checks, body validation,
 * session in (its credential refreshed when due) and out, one log line, errors mapped to the
 * contract. A route only names its body schema and the use-case to call; the line describes the
 * person from the sessions, so `log` adds only what they do not hold.
 */
export async function handleAuthPost<T>(
  request: Request,
  event: AuthEvent,
  schema: z.ZodType<T>,
  handler: (input: T, session: SessionData, ip: string) => Promise<Handled>,
): Promise<Response> {
  let cookie: OpenSession | undefined;
  let session: SessionData = {};
  try {
    assertSameOrigin(request);
    const input = await readJson(request, schema);
    cookie = await openSession(await requestCookies('route-handler'));
    session = await cookie.keepSignedIn(clientDevice(request.headers));
    const result = await handler(input, session, clientIp(request.headers, getEnv()));
    const next = result.session ?? session;
    await cookie.commit(next);
    logEvent(event, { ...personFields(session, next), ...result.log, outcome: 'ok' });
    return noStoreJson(result.body);
  } catch (error) {
    // A use-case that fails with a session to keep (a spent code's, a signed-out person's) keeps it.
    if (error instanceof SignInFailure) await cookie?.commit(error.session);
    return handleError(error, event, personFields(session));
  }
}

/** What a route without a JSON body answers; `log`: the line it writes when it went well. */
type Answered = { body: unknown; status?: number; log?: Partial<LogFields> };

/**
 * The frame of the other routes (reads, Plivo's callbacks, health, cron): the answer as JSON,
 * errors mapped to the contract. A failure always writes a line; a success only when it has
 * something to say (`log`), so that the code screen's polls and the health probes write none.
 */
export async function handleRoute(subject: LogSubject, work: () => Promise<Answered>): Promise<Response> {
  try {
    const { body, status, log } = await work();
    if (log) logEvent(subject, { outcome: 'ok', ...log });
    return noStoreJson(body, status);
  } catch (error) {
    return handleError(error, subject);
  }
}

/** Maps any failure to the contract's error body, in one log line; unexpected ones become a 500. */
export async function handleError(error: unknown, subject: LogSubject, context: Partial<LogFields> = {}) {
  if (error instanceof SignInFailure) context = { ...context, ...personFields(error.session) };
  if (error instanceof ApiError) {
    const reason = error.cause === undefined ? undefined : String(error.cause);
    logEvent(subject, { ...context, outcome: error.code, reason });
    return errorResponse(error, await requestLocale());
  }
  logEvent(subject, { ...context, outcome: 'internal_error', reason: error instanceof Error ? error.name : typeof error });
  console.error(error);
  return errorResponse(new ApiError('internal_error'), await requestLocale());
}

function noStoreJson(body: unknown, status?: number): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': API_CACHE_CONTROL } });
}

/**
 * Who and which verification a line is about, from the sessions in the order they were held:
 * a later one's fields win, and an earlier one's stay where the later no longer has them (a
 * sign-out still names who signed out, a verified code still names its phone).
 */
function personFields(...sessions: SessionData[]): Partial<LogFields> {
  const fields: Partial<LogFields> = {};
  for (const { pending, user } of sessions) {
    const held = { phone: pending?.phone, channel: pending?.channel, decoy: pending?.decoy, newcomer: pending?.newcomer, userId: user?.id };
    for (const [key, value] of Object.entries(held)) if (value !== undefined) Object.assign(fields, { [key]: value });
  }
  return fields;
}
