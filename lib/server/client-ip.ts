import 'server-only';

import { isIPv4, isIPv6 } from 'node:net';

import type { Env } from './env';

/**
 * The client's address for per-IP limits, as `addressKey` counts it. Proxy headers are believed
 * only as far as configured: on Vercel its own headers (which it overwrites); with a number, the
 * entry that many from the right of X-Forwarded-For (each trusted proxy appends one, so what a
 * client writes stays to the left); with `direct`, the socket's address, which the preload
 * scripts/client-address.cjs writes into X-Forwarded-For over whatever the client sent (the
 * server refuses to start without it, lib/server/boot-check.ts). Outside production, where
 * TRUST_PROXY may be unset, the rightmost entry: Next fills it from the socket when the client sent none.
 */
export function clientIp(headers: Headers, env: Env): string {
  if (env.TRUST_PROXY === 'vercel') {
    const vercel = headers.get('x-vercel-forwarded-for') ?? headers.get('x-real-ip');
    if (vercel) return addressKey(firstEntry(vercel));
  }
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = typeof env.TRUST_PROXY === 'number' ? env.TRUST_PROXY : 1;
  return addressKey(chain[Math.max(0, chain.length - hops)] ?? 'unknown');
}

function firstEntry(value: string): string {
  return value.split(',')[0]!.trim();
}

/**
 * What a per-address limit counts: an IPv4 address alone, an IPv6 address by its /64. One host
 * is normally given a whole /64 and may pick any address in it, so counting IPv6 addresses one
 * by one would give it 2^64 allowances. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a
 * dual-stack socket reports for IPv4 clients) is its IPv4 address. Spellings do not matter:
 * case, zero padding, `::`, brackets and a zone id (`%eth0`) are read away. Anything else is
 * kept as it came (trimmed, lower case), and counts against itself.
 */
export function addressKey(address: string): string {
  const text = address.trim().toLowerCase();
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return text;
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (node:net checked it), a trailing IPv4 part included. */
function ipv6Groups(address: string): number[] {
  const ipv4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = ipv4Tail
    ? `${address.slice(0, ipv4Tail.index)}${((Number(ipv4Tail[1]) << 8) | Number(ipv4Tail[2])).toString(16)}:${((Number(ipv4Tail[3]) << 8) | Number(ipv4Tail[4])).toString(16)}`
    : address;
  const [head, tail] = hex.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return tail === undefined ? front : [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The device as Directus will list it: its user agent, cut where Directus cuts it. */
export function clientDevice(headers: Headers): { userAgent: string | null } {
  return { userAgent: headers.get('user-agent')?.slice(0, 1024) ?? null };
}
