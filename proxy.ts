import { NextResponse, type NextRequest } from 'next/server';

import { contentSecurityPolicy, createNonce } from '@/lib/server/content-security-policy';

// Every page and API route, for its Content-Security-Policy nonce. Build assets need no CSP (they
// still get the static security headers from next.config.mjs).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };

const COOKIE_NAMES = ['__Host-sms-sign-in', 'sms-sign-in'];

export function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy(createNonce(), { development: process.env.NODE_ENV === 'development' });
  const response = isSignedOutOnAccount(request) ? redirectToLogin(request) : nextWithCsp(request, csp);
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

// Pages that need a signed-in person. This is only the fast path: the pages themselves check the
// credential with Directus, so a stale or forged cookie still ends on /login.
function isSignedOutOnAccount(request: NextRequest): boolean {
  const { pathname } = request.nextUrl;
  const onAccount = pathname === '/account' || pathname.startsWith('/account/');
  return onAccount && !COOKIE_NAMES.some((name) => request.cookies.has(name));
}

function redirectToLogin(request: NextRequest) {
  const login = new URL('/login', request.url);
  login.searchParams.set('next', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

/** Next reads the nonce from the request's CSP and puts it on its own scripts. */
function nextWithCsp(request: NextRequest, csp: string) {
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', csp);
  return NextResponse.next({ request: { headers } });
}
