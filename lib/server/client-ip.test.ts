import { describe, expect, it } from 'vitest';

import { clientIp } from './client-ip';
import { parseEnv } from './env';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('clientIp', () => {
  it('takes the entry the trusted proxies appended, not what the client claims', () => {
    const env = parseEnv({ TRUST_PROXY: '1' });
    expect(clientIp(headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), env)).toBe('203.0.113.7');
    const twoHops = parseEnv({ TRUST_PROXY: '2' });
    expect(clientIp(headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' }), twoHops)).toBe('203.0.113.7');
  });

  it('uses Vercel\'s own header on Vercel', () => {
    const env = parseEnv({ VERCEL: '1' });
    expect(clientIp(headers({ 'x-vercel-forwarded-for': '203.0.113.7', 'x-forwarded-for': '6.6.6.6' }), env)).toBe('203.0.113.7');
  });

  it('with `direct`, takes the one entry the start-up preload writes from the socket', () => {
    expect(clientIp(headers({ 'x-forwarded-for': '127.0.0.1' }), parseEnv({ TRUST_PROXY: 'direct' }))).toBe('127.0.0.1');
  });

  it('without trust, takes the rightmost entry (the one Next fills from the socket)', () => {
    expect(clientIp(headers({ 'x-forwarded-for': '127.0.0.1' }), parseEnv({}))).toBe('127.0.0.1');
    expect(clientIp(headers({}), parseEnv({}))).toBe('unknown');
  });
});
