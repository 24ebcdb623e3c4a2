import 'server-only';

import type { Env } from '../env';
import { personRequestError, unavailable } from './client';

/** One pass-through request, already allow-listed and normalised. */
export type ForwardRequest = {
  method: string;
  /** The normalised path, e.g. /items/member_news. */
  path: string;
  /** '' or ?… without any credential in it. */
  query: string;
  /** The browser's headers: only those in REQUEST_HEADERS are sent on. */
  headers: Headers;
  body?: string;
  /** The person's Authorization header (from the credential strategy). */
  authorization: string;
  /** The browser went away: stop reading from Directus. */
  signal: AbortSignal;
};

// What the browser may tell Directus. Never its Cookie or Authorization: the person's own
// credential is added here, and nothing of the browser's can stand in for it.
const REQUEST_HEADERS = ['accept', 'accept-language', 'range', 'if-range', 'if-none-match', 'if-modified-since', 'content-type'];
// What the browser may see of Directus's answer: the content and its validators, no Set-Cookie.
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'content-disposition',
];
const PRIVATE = 'private, no-store';
// What a browser shows as what it is, never as a document of this site: pictures (not SVG, a
// document that can carry script and links), sound, video, and Directus's own JSON.
const INLINE_TYPE = /^(?:image\/(?!svg\+xml$)[\w.+-]+|audio\/[\w.+-]+|video\/[\w.+-]+|application\/json)$/;

/**
 * Sends a pass-through request to Directus as the person and answers with Directus's response,
 * streamed (an asset is never buffered whole). A file anyone may read (the Public policy reads
 * it) is fetched without the credential and may be cached as public: its bytes are the same for
 * everyone. Items are always private: what a query returns depends on who asks. Waits at most
 * DIRECTUS_TIMEOUT_MS for Directus to start answering. Refusals throw personRequestError's errors.
 */
export async function forwardToDirectus(env: Env, request: ForwardRequest): Promise<Response> {
  if (isFile(request)) {
    const anonymous = await send(env, request, undefined);
    if (succeeded(anonymous)) return answer(anonymous, anonymous.headers.get('cache-control') ?? 'public, no-cache');
    await anonymous.body?.cancel();
  }
  const upstream = await send(env, request, request.authorization);
  if (!succeeded(upstream)) {
    await upstream.body?.cancel();
    throw personRequestError(upstream.status, upstream.headers, `directus ${upstream.status}`);
  }
  return answer(upstream, PRIVATE);
}

async function send(env: Env, request: ForwardRequest, authorization: string | undefined): Promise<Response> {
  const headers = new Headers({ 'accept-encoding': 'identity' }); // lengths and ranges stay true
  for (const name of REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null && (name !== 'content-type' || request.body !== undefined)) headers.set(name, value);
  }
  if (authorization) headers.set('Authorization', authorization);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${env.DIRECTUS_TIMEOUT_MS} ms`)), env.DIRECTUS_TIMEOUT_MS);
  try {
    return await fetch(`${env.DIRECTUS_URL.replace(/\/+$/, '')}${request.path}${request.query}`, {
      method: request.method,
      headers,
      body: request.body,
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.any([timeout.signal, request.signal]),
    });
  } catch (error) {
    throw unavailable(error);
  } finally {
    clearTimeout(timer); // the body may take longer: it streams for as long as the browser reads
  }
}

function isFile(request: ForwardRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && request.path.startsWith('/assets/');
}

/** A success, a part of one, or "you have it already". */
function succeeded(response: Response): boolean {
  return (response.status >= 200 && response.status < 300) || response.status === 304;
}

function answer(upstream: Response, cacheControl: string): Response {
  const headers = new Headers({ 'Cache-Control': cacheControl });
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const empty = upstream.status === 204 || upstream.status === 304;
  const shownAs = empty ? null : disposition(upstream.headers.get('content-type'), upstream.headers.get('content-disposition'));
  if (shownAs !== null) headers.set('Content-Disposition', shownAs);
  return new Response(empty ? null : upstream.body, { status: upstream.status, headers });
}

/**
 * Directus's Content-Disposition for an INLINE_TYPE; for any other type (an uploaded HTML page,
 * an SVG, a PDF, none) `attachment`, with Directus's file name. Opened on this origin such a file
 * could pose as one of the site's pages; as an attachment a navigation to it downloads it, while
 * <img>, <video> and <audio> still show it.
 */
function disposition(contentType: string | null, given: string | null): string | null {
  const essence = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (INLINE_TYPE.test(essence)) return given;
  return given === null ? 'attachment' : given.replace(/^[^;]*/, 'attachment');
}
