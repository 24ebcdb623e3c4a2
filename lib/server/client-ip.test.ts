import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { addressKey, clientIp } from './client-ip';
import { parseEnv } from './env';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('clientIp', () => {
  it('takes the entry the trusted proxies appended, not what the client claims', () => {
    const env = parseEnv({ TRUST_PROXY: '1' });
    expect(clientIp(headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), env)).toBe('203.0.113.7');
    const twoHops = parseEnv({ TRUST_PROXY: '2' });
    expect(clientIp(headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' }), twoHops)).toBe('203.0.113.7');
  });

  it("uses Vercel's own header on Vercel", () => {
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

  it('counts an IPv6 client by its /64, whichever header names it', () => {
    const oneHop = parseEnv({ TRUST_PROXY: '1' });
    expect(clientIp(headers({ 'x-forwarded-for': '6.6.6.6, 2001:DB8:0:7::1' }), oneHop)).toBe('2001:db8:0:7::/64');
    const vercel = parseEnv({ VERCEL: '1' });
    expect(clientIp(headers({ 'x-vercel-forwarded-for': '2001:db8:0:7:a:b:c:d' }), vercel)).toBe('2001:db8:0:7::/64');
    expect(clientIp(headers({ 'x-forwarded-for': '::ffff:203.0.113.7' }), parseEnv({ TRUST_PROXY: 'direct' }))).toBe('203.0.113.7');
  });
});

describe('addressKey', () => {
  it('keeps an IPv4 address as it is: each counts alone', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.8')).toBe('203.0.113.8');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it carries, in every spelling', () => {
    for (const mapped of [
      '::ffff:203.0.113.7',
      '::FFFF:203.0.113.7',
      '0:0:0:0:0:ffff:203.0.113.7',
      '::ffff:cb00:7107',
      '[::ffff:203.0.113.7]',
    ]) {
      expect(addressKey(mapped)).toBe('203.0.113.7');
    }
  });

  it('keys every IPv6 address of one /64 alike, whatever its case, compression, brackets or zone', () => {
    const spellings = [
      '2001:db8:a:b::1',
      '2001:DB8:A:B::1',
      '2001:0db8:000a:000b:0000:0000:0000:0001',
      '2001:db8:a:b:ffff:ffff:ffff:ffff',
      '[2001:db8:a:b::42]',
      '2001:db8:a:b::1%eth0',
      '2001:db8:a:b:0:0:1.2.3.4',
    ];
    expect(new Set(spellings.map(addressKey))).toEqual(new Set(['2001:db8:a:b::/64']));
    expect(addressKey('fe80::1%en0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('keys neighbouring /64s apart', () => {
    expect(addressKey('2001:db8:a:b::1')).not.toBe(addressKey('2001:db8:a:c::1'));
    expect(addressKey('2001:db8:a::1')).not.toBe(addressKey('2001:db8:b::1'));
  });

  it('keeps what is no address as it came, trimmed and lower case, so it still counts against itself', () => {
    expect(addressKey('unknown')).toBe('unknown');
    expect(addressKey(' Not-An-Address ')).toBe('not-an-address');
    expect(addressKey('2001:db8::1::2')).toBe('2001:db8::1::2');
  });

  const group = fc.integer({ min: 0, max: 0xffff });
  const groups = fc.array(group, { minLength: 8, maxLength: 8 });
  /** One of the ways an IPv6 address may be written: full, unpadded, compressed at a run of zeros, upper case. */
  const spell = (parts: number[], { pad, upper, compress }: { pad: boolean; upper: boolean; compress: boolean }) => {
    const hex = parts.map((part) => part.toString(16).padStart(pad ? 4 : 1, '0'));
    let text = hex.join(':');
    if (compress) {
      const zero = parts.findIndex((part) => part === 0);
      if (zero >= 0) {
        let end = zero;
        while (end < 8 && parts[end] === 0) end++;
        text = `${hex.slice(0, zero).join(':')}::${hex.slice(end).join(':')}`;
      }
    }
    return upper ? text.toUpperCase() : text;
  };
  const style = fc.record({ pad: fc.boolean(), upper: fc.boolean(), compress: fc.boolean() });

  it('keys every spelling of an address alike, and any two addresses alike exactly when they share a /64 (property)', () => {
    fc.assert(
      fc.property(groups, groups, style, style, (a, b, styleA, styleB) => {
        const mapped = (parts: number[]) => parts.slice(0, 5).every((part) => part === 0) && parts[5] === 0xffff;
        fc.pre(!mapped(a) && !mapped(b));
        expect(addressKey(spell(a, styleA))).toBe(addressKey(spell(a, styleB)));
        const sameSlash64 = a.slice(0, 4).every((part, i) => part === b[i]);
        expect(addressKey(spell(a, styleA)) === addressKey(spell(b, styleB))).toBe(sameSlash64);
        const sibling = [...a.slice(0, 4), ...b.slice(4)];
        expect(addressKey(spell(sibling, styleB))).toBe(addressKey(spell(a, styleA)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads every IPv4-mapped address as its IPv4 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.boolean(), (ipv4, upper) => {
        const text = `::${upper ? 'FFFF' : 'ffff'}:${ipv4}`;
        expect(addressKey(text)).toBe(ipv4);
      }),
    );
  });
});
