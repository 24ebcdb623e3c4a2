import { NextResponse, type NextRequest } from 'next/server';

// Pages that need a signed-in person. This is only the fast path: the pages themselves check the
// credential with Directus, so a stale or forged cookie still ends on /login.
export const config = { matcher: ['/account/:path*'] };

const COOKIE_NAMES = ['__Host-sms-sign-in', 'sms-sign-in'];

export function proxy(request: NextRequest) {
  if (COOKIE_NAMES.some((name) => request.cookies.has(name))) return NextResponse.next();
  const login = new URL('/login', request.url);
  login.searchParams.set('next', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}
