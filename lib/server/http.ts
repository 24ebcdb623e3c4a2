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
  if (origin !== null && origin !== appOrigin()) throw new ApiError('forbidden_origin');
  if (request.headers.get('sec-fetch-site') === 'cross-site') throw new ApiError('forbidden_origin');
  // A cross-site form cannot send JSON without a CORS preflight, which we never grant.
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError('forbidden_origin');
}

/**
 * A plain form post, which any site can make without a preflight: only from a page of ours, as
 * the browser names it (Origin, or Sec-Fetch-Site where it sends no Origin); neither is refused.
 */
function assertSameOriginForm(request: Request) {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  const ours = origin !== null ? origin === appOrigin() : site === 'same-origin';
  if (!ours || (site !== null && site !== 'same-origin')) throw new ApiError('forbidden_origin');
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) throw new ApiError('forbidden_origin');
}

function appOrigin(): string {
  return new URL(getEnv().APP_URL).origin;
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

type Handled<B> = { session?: SessionData; body: B; log?: Partial<LogFields> };

/** Where a step runs: the client's address and the request's headers. */
type StepContext = { ip: string; headers: Headers };

/**
 * One state-changing step of signing in: its log event, the input it takes, and the use-case it
 * calls. The JSON API and the plain form posts run the same steps through the same frame.
 */
export type AuthStep<T, B = unknown> = {
  event: AuthEvent;
  schema: z.ZodType<T, unknown>;
  run: (input: T, session: SessionData, context: StepContext) => Promise<Handled<B>>;
};

type StepResult<B> = { ok: true; body: B } | { ok: false; error: ApiError };

/**
 * The frame of every state-changing auth step: the request's checks and input (`read`), its
 * validation, session in (its credential refreshed when due) and out, one log line, failures as
 * the contract's errors. The line describes the person from the sessions, so `log` adds only
 * what they do not hold.
 */
async function runAuthStep<T, B>(request: Request, step: AuthStep<T, B>, read: () => Promise<unknown>): Promise<StepResult<B>> {
  let cookie: OpenSession | undefined;
  let session: SessionData = {};
  try {
    const parsed = step.schema.safeParse(await read());
    if (!parsed.success) throw new ApiError('invalid_request');
    cookie = await openSession(await requestCookies('route-handler'));
    session = await cookie.keepSignedIn(clientDevice(request.headers));
    const result = await step.run(parsed.data, session, { ip: clientIp(request.headers, getEnv()), headers: request.headers });
    const next = result.session ?? session;
    await cookie.commit(next);
    logEvent(step.event, { ...personFields(session, next), ...result.log, outcome: 'ok' });
    return { ok: true, body: result.body };
  } catch (error) {
    // A use-case that fails with a session to keep (a spent code's, a signed-out person's) keeps it.
    if (error instanceof SignInFailure) await cookie?.commit(error.session);
    return { ok: false, error: logFailure(error, step.event, personFields(session)) };
  }
}

/** A step of the JSON API: same-origin JSON in, the contract's JSON out. */
export async function handleAuthPost<T>(request: Request, step: AuthStep<T>): Promise<Response> {
  const result = await runAuthStep(request, step, async () => {
    assertSameOrigin(request);
    return (await readJsonBody(request, MAX_BODY_BYTES)).value;
  });
  return result.ok ? noStoreJson(result.body) : errorResponse(result.error, await requestLocale());
}

/** Where a form post goes: the step with its input, and the pages to answer with. */
export type FormRoute<T, B> = {
  step: AuthStep<T, B>;
  input: unknown;
  /** The page after the step went well. */
  done: (body: B) => string;
  /** The page that shows the error (its query gains `error`, `retryAfter`, `attemptsLeft`). */
  failed: string;
};

/**
 * A step posted by a plain HTML form (a page without JavaScript, or before it has loaded): the
 * same step as the API's, answered with a redirect to the page that shows how it went, so a
 * reload never posts again. A cross-site post is refused outright, with no page of ours to show.
 */
export async function handleAuthForm(request: Request, route: (form: URLSearchParams) => FormTarget): Promise<Response> {
  let target: FormTarget;
  try {
    assertSameOriginForm(request);
    target = route(new URLSearchParams(await readSmallBody(request, MAX_BODY_BYTES)));
  } catch (error) {
    return errorResponse(logFailure(error, { route: 'auth_form' }), await requestLocale());
  }
  return seeOther(await target(request));
}

/** A form post's step, bound to its input and pages: it runs the step and names the page to show. */
export type FormTarget = (request: Request) => Promise<string>;

export function formStep<T, B>({ step, input, done, failed }: FormRoute<T, B>): FormTarget {
  return async (request) => {
    const result = await runAuthStep(request, step, async () => input);
    return result.ok ? done(result.body) : withError(failed, result.error);
  };
}

/** A same-origin path with the error's code and figures in its query, for the page to say. */
function withError(path: string, error: ApiError): string {
  const url = new URL(path, 'http://page.invalid');
  url.searchParams.set('error', error.code);
  for (const [name, value] of Object.entries(error.extra)) if (value !== undefined) url.searchParams.set(name, String(value));
  return url.pathname + url.search;
}

/** Post/Redirect/Get: the browser loads the page with GET, so a reload never posts again. */
function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { Location: path, 'Cache-Control': API_CACHE_CONTROL } });
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
  return errorResponse(logFailure(error, subject, context), await requestLocale());
}

/** Writes the failure's one log line and says which error to answer with: unexpected ones are internal_error. */
function logFailure(error: unknown, subject: LogSubject, context: Partial<LogFields> = {}): ApiError {
  if (error instanceof SignInFailure) context = { ...context, ...personFields(error.session) };
  if (error instanceof ApiError) {
    const reason = error.cause === undefined ? undefined : String(error.cause);
    logEvent(subject, { ...context, outcome: error.code, reason });
    return error;
  }
  logEvent(subject, { ...context, outcome: 'internal_error', reason: error instanceof Error ? error.name : typeof error });
  console.error(error);
  return new ApiError('internal_error');
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
