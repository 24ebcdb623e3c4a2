import 'server-only';

import type { Env } from './env';

/**
 * The client's address for per-IP limits. Proxy headers are believed only as far as configured:
 * on Vercel its own headers (which it overwrites); with a number, the entry that many from the
 * right of X-Forwarded-For (each trusted proxy appends one, so what a client writes stays to the
 * left); with `direct`, the socket's address, which `npm start` writes into X-Forwarded-For over
 * whatever the client sent (scripts/client-address.cjs). Outside production, where TRUST_PROXY
 * may be unset, the rightmost entry: Next fills it from the socket when the client sent none.
 */
export function clientIp(headers: Headers, env: Env): string {
  if (env.TRUST_PROXY === 'vercel') {
    const vercel = headers.get('x-vercel-forwarded-for') ?? headers.get('x-real-ip');
    if (vercel) return firstEntry(vercel);
  }
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = typeof env.TRUST_PROXY === 'number' ? env.TRUST_PROXY : 1;
  return chain[Math.max(0, chain.length - hops)] ?? 'unknown';
}

function firstEntry(value: string): string {
  return value.split(',')[0]!.trim();
}

/** The device as Directus will list it: its user agent, cut where Directus cuts it. */
export function clientDevice(headers: Headers): { userAgent: string | null } {
  return { userAgent: headers.get('user-agent')?.slice(0, 1024) ?? null };
}
