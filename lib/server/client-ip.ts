import 'server-only';

import type { Env } from './env';

/**
 * The client's address for per-IP limits. Proxy headers are believed only as far as configured:
 * on Vercel its own headers (which it overwrites), elsewhere the entry TRUST_PROXY from the right
 * of X-Forwarded-For (each trusted proxy appends one). Without trust, Next itself fills
 * X-Forwarded-For from the socket only when the client sent none, so we take the rightmost
 * entry, which a client talking to the app directly can forge: deploy behind a proxy and set
 * TRUST_PROXY (the boot check warns about this in production).
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
