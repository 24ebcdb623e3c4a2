import 'server-only';

import type { Locale } from '@/lib/i18n/locales';
import { forwardToDirectus } from './directus/forward';
import { getEnv } from './env';
import { ApiError, errorResponse } from './errors';
import { assertSameOrigin, handleError, readJsonText } from './http';
import { matchPassThrough, passThroughQuery } from './pass-through-rules';
import { endSignIn, signedInPerson } from './person-session';

const PREFIX = '/api/directus';
const READS = ['GET', 'HEAD'];

/**
 * /api/directus/…: what client components read (or, if allowed, change) in Directus as the
 * signed-in person. Only what DIRECTUS_PASS_THROUGH allows passes (403 `path_not_allowed`),
 * state-changing methods under the auth routes' Origin and JSON rules; the person's credential
 * is added on the server and nothing of the browser's credentials goes on. A credential Directus
 * no longer accepts is a 401 that signs this device out.
 */
export async function passThrough(request: Request): Promise<Response> {
  let userId: string | undefined;
  try {
    const env = getEnv();
    const url = new URL(request.url);
    // The path as the browser sent it, still encoded: matchPassThrough normalises it itself.
    const path = url.pathname.startsWith(`${PREFIX}/`)
      ? matchPassThrough(env.DIRECTUS_PASS_THROUGH, request.method, url.pathname.slice(PREFIX.length))
      : undefined;
    if (!path) throw new ApiError('path_not_allowed');
    let body: string | undefined;
    if (!READS.includes(request.method)) {
      assertSameOrigin(request);
      body = await readJsonText(request, env.DIRECTUS_PASS_THROUGH_MAX_BODY_BYTES);
    }
    const person = await signedInPerson();
    if (!person) throw new ApiError('unauthorized');
    userId = person.user.id;
    const { method, headers, signal } = request;
    return await forwardToDirectus(env, {
      method,
      path,
      query: passThroughQuery(url.search),
      headers,
      body,
      authorization: person.authorization,
      signal,
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthorized') await endSignIn();
    return handleError(error, 'pass_through', { userId });
  }
}

/**
 * For proxy.ts: Next answers a path it cannot percent-decode with a bare 500 before the route
 * runs, so the pass-through refuses such paths there, in the API's error shape.
 */
export function refuseUndecodablePath(pathname: string, locale: Locale): Response | undefined {
  if (pathname !== PREFIX && !pathname.startsWith(`${PREFIX}/`)) return undefined;
  try {
    decodeURIComponent(pathname);
    return undefined;
  } catch {
    return errorResponse(new ApiError('path_not_allowed'), locale);
  }
}
