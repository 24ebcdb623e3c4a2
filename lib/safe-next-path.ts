// The `next` parameter (where to go after signing in) is chosen by whoever wrote the link: the
// login and welcome pages check it on the server, and the forms check what the server answers.

/**
 * A `next` value we may navigate to: a same-origin path such as "/account?tab=1".
 * Rejects absolute URLs, protocol-relative "//host", "/\host" (browsers read "\" as "/"),
 * and control characters (browsers drop tabs and newlines, so "/\t/host" would become "//host").
 * The check is on the path the browser will request: dot segments, plain or percent-encoded, are
 * resolved first, so "/.//host", "/%2e//host" and "/a/..//host" (all "//host") are refused too.
 * Nor is the API a place to land: a file from the pass-through would open as a page of this site.
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return null;
  if (!next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return null;
  try {
    const base = 'https://app.invalid';
    const url = new URL(next, base);
    if (url.origin !== base || !isPlainPath(url.pathname) || isApiPath(url.pathname)) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}

/**
 * A resolved path that stays a path wherever it is used: not "//host" or "/\host", and no
 * encoded slash or backslash that a server or proxy decoding it could turn into one.
 */
function isPlainPath(pathname: string): boolean {
  return !/^\/[/\\]/.test(pathname) && !/%(2f|5c)/i.test(pathname);
}

/**
 * /api or below, as the server routes it: it decodes the path first (so "/%61pi" is "/api"), and
 * any case is refused (so "/API" is too). A path that cannot be decoded is refused as well: where
 * it would lead cannot be told.
 */
function isApiPath(pathname: string): boolean {
  try {
    return /^\/api(?:\/|$)/i.test(decodeURIComponent(pathname));
  } catch {
    return true;
  }
}

/** Where to go once signed in: the page's own `next`, else where the server says, else home. */
export function signedInDestination(next: unknown, redirectTo: unknown, home: string): string {
  return safeNextPath(next) ?? safeNextPath(redirectTo) ?? home;
}
