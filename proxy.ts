import { NextResponse, type NextRequest } from 'next/server';

import { LOCALE_COOKIE, negotiateLocale } from '@/lib/i18n/locales';
import { contentSecurityPolicy, createNonce } from '@/lib/server/content-security-policy';
import { getEnv } from '@/lib/server/env';
import { renewSessionCookie, type RenewedCookie } from '@/lib/server/page-session';
import { refuseUndecodablePath } from '@/lib/server/pass-through';
import { sessionCookie } from '@/lib/server/session-seal';

// Every page and API route, for its Content-Security-Policy nonce. Build assets need no CSP (they
// still get the static security headers from next.config.mjs).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'] };

export async function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(createNonce(), { development: process.env.NODE_ENV === 'development' });
  const response =
    refuseUndecodablePath(request.nextUrl.pathname, negotiateLocale(request.cookies.get(LOCALE_COOKIE)?.value, request.headers.get('accept-language'))) ??
    (isSignedOutOnProtectedPage(request)
      ? redirectToLogin(request)
      : nextWithCsp(request, csp, isPage(request) ? await renewSessionCookie(request.cookies, request.headers) : undefined));
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

/** Pages (and their client-side navigations) render server components, which read the session. */
function isPage(request: NextRequest): boolean {
  return request.method === 'GET' && !request.nextUrl.pathname.startsWith('/api/');
}

// Pages that need a signed-in person. This is only the fast path: the pages themselves check the
// credential with Directus, so a stale or forged cookie still ends on /login.
const PROTECTED_PAGES = ['/account', '/members'];

function isSignedOutOnProtectedPage(request: NextRequest): boolean {
  const { pathname } = request.nextUrl;
  const isProtected = PROTECTED_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
  return isProtected && !request.cookies.has(sessionCookie(getEnv()).name);
}

function redirectToLogin(request: NextRequest) {
  const login = new URL('/login', request.url);
  login.searchParams.set('next', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

/**
 * Next reads the nonce from the request's CSP and puts it on its own scripts. A renewed session
 * cookie goes both to the page (in the request it renders) and to the browser.
 */
function nextWithCsp(request: NextRequest, csp: string, renewed: RenewedCookie | undefined) {
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
