import { NextResponse, type NextRequest } from 'next/server';

import { logoOrigin } from '@/lib/server/branding';
import { LOCALE_COOKIE, negotiateLocale } from '@/lib/i18n/locales';
import { contentSecurityPolicy, createNonce } from '@/lib/server/content-security-policy';
import { getEnv } from '@/lib/server/env';
import { refuseUndecodablePath } from '@/lib/server/pass-through';
import type { SessionCookieValue } from '@/lib/server/session/cookie';
import { openPageSession } from '@/lib/server/session/navigation';
import { sessionCookie } from '@/lib/server/session/seal';
import { HOME_PATH, WELCOME_PATH } from '@/lib/paths';

// Pages only, for their Content-Security-Policy nonce, and the pass-through, for its paths Next
// cannot decode. The other API routes answer JSON and get a static policy (next.config.mjs): not
// running this for them saves each its CPU, Plivo's four delivery callbacks per code included
// (docs/benchmarks.md). Build assets need no CSP (they still get the static security headers).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|api/(?!directus(?:/|$))).*)'] };

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/api/')) {
    // Only the pass-through's paths get here (see config); its answers take the API's static policy.
    const locale = negotiateLocale(request.cookies.get(LOCALE_COOKIE)?.value, request.headers.get('accept-language'));
    return refuseUndecodablePath(pathname, locale) ?? NextResponse.next();
  }
  const csp = contentSecurityPolicy(createNonce(), {
    development: process.env.NODE_ENV === 'development',
    logoOrigin: logoOrigin(getEnv().APP_LOGO_URL),
  });
  const response = await pageResponse(request, csp);
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

async function pageResponse(request: NextRequest, csp: string): Promise<NextResponse> {
  const protectedPage = isProtectedPage(request);
  if (protectedPage && !request.cookies.has(sessionCookie(getEnv()).name)) return redirectToLogin(request);
  // Pages (and their client-side navigations, all GETs) render server components, which read the
  // session but cannot renew its cookie: the proxy does, from the one opening of it here.
  const renews = request.method === 'GET';
  if (!protectedPage && !renews) return nextWithCsp(request, csp, undefined);
  const session = await openPageSession(request.cookies, request.headers, renews);
  // A newcomer who has not given a first name yet goes to that step first.
  if (protectedPage && session.stored.user?.needsFirstName === 1) return redirectWithNext(request, WELCOME_PATH);
  return nextWithCsp(request, csp, await session.renew());
}

// Pages that need a signed-in person. This is only the fast path: the pages themselves check the
// credential with Directus, so a stale or forged cookie still ends on /login.
const PROTECTED_PAGES = [HOME_PATH, '/members'];

function isProtectedPage(request: NextRequest): boolean {
  const { pathname } = request.nextUrl;
  return PROTECTED_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}

function redirectToLogin(request: NextRequest) {
  return redirectWithNext(request, '/login');
}

/** To `path`, which sends the person back here (`?next=`) once done. */
function redirectWithNext(request: NextRequest, path: string) {
  const target = new URL(path, request.url);
  target.searchParams.set('next', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(target);
}

/**
 * Next reads the nonce from the request's CSP and puts it on its own scripts. A renewed session
 * cookie goes both to the page (in the request it renders) and to the browser.
 */
function nextWithCsp(request: NextRequest, csp: string, renewed: SessionCookieValue | undefined) {
  if (renewed) {
    if (renewed.value) request.cookies.set(renewed.name, renewed.value);
    else request.cookies.delete(renewed.name);
  }
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  if (renewed) response.cookies.set(renewed.name, renewed.value ?? '', renewed.options);
  return response;
}
