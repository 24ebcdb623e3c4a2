import { describe, expect, it } from 'vitest';
import { analysePhones, checkPhone, isCountryCode, isValidE164 } from './phones';

describe('masking (lib/phone.ts maskPhone)', () => {
  const maskedInvalid = (phone: string) => analysePhones([{ id: 'u1', phone }]).invalid[0]?.masked;
  it('reports a number by its ends only', () => {
    expect(maskedInvalid('07400 123456')).toMatch(/07\*{6}456$/);
  });
  it('hides short values completely, without giving their length away', () => {
    expect(maskedInvalid('12345')).toBe('******');
    expect(maskedInvalid('1234567')).toBe('******');
  });
});

describe('checkPhone', () => {
  it('accepts valid E.164', () => {
    expect(checkPhone('+447400123456')).toEqual({ kind: 'ok', e164: '+447400123456' });
    expect(isValidE164('+14155552671')).toBe(true);
  });
  it('rejects E.164-shaped but invalid numbers', () => {
    expect(isValidE164('+447700900123')).toBe(false); // drama range, not valid to libphonenumber
    expect(checkPhone('+447700900123').kind).toBe('invalid');
  });
  it('normalises formatted international numbers', () => {
    expect(checkPhone('+44 7400 123456')).toEqual({ kind: 'fixable', e164: '+447400123456' });
    expect(checkPhone('0044 7400 123456')).toEqual({ kind: 'fixable', e164: '+447400123456' });
    expect(checkPhone(' +447400123456 ')).toEqual({ kind: 'fixable', e164: '+447400123456' });
  });
  it('needs a default country for national numbers', () => {
    expect(checkPhone('07400 123456').kind).toBe('needs-country');
    expect(checkPhone('07400 123456', 'GB')).toEqual({ kind: 'fixable', e164: '+447400123456' });
  });
  it('treats blank values as blank and garbage as invalid', () => {
    expect(checkPhone('').kind).toBe('blank');
    expect(checkPhone('   ').kind).toBe('blank');
    expect(checkPhone('n/a').kind).toBe('invalid');
    expect(checkPhone('+44 12', 'GB').kind).toBe('invalid');
  });
});

describe('analysePhones', () => {
  it('counts valid numbers and proposes safe rewrites', () => {
    const a = analysePhones(
      [
        { id: 'u1', phone: '+447400123456' },
        { id: 'u2', phone: '+44 7400 123457' },
        { id: 'u3', phone: '' },
        { id: 'u4', phone: 'call me' },
      ],
      'GB',
    );
    expect(a.total).toBe(4);
    expect(a.valid).toBe(1);
    expect(a.rewrites).toEqual([
      { id: 'u2', from: '+44******457', to: '+44******457', value: '+447400123457' },
      { id: 'u3', from: '""', to: null, value: null },
    ]);
    expect(a.invalid.map((i) => i.id)).toEqual(['u4']);
    expect(a.collisions).toEqual([]);
  });

  it('never rewrites into a duplicate and reports the collision group', () => {
    const a = analysePhones(
      [
        { id: 'u1', phone: '+447400123456' },
        { id: 'u2', phone: '07400 123456' },
        { id: 'u3', phone: '+44 7400 123456' },
      ],
      'GB',
    );
    expect(a.rewrites).toEqual([]);
    expect(a.collisions).toHaveLength(1);
    expect(a.collisions[0]?.e164Masked).toBe('+44******456');
    expect(a.collisions[0]?.users.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(a.valid).toBe(0);
  });

  it('detects exact raw duplicates', () => {
    expect(
      analysePhones([
        { id: 'a', phone: 'x' },
        { id: 'b', phone: 'x' },
      ]).rawDuplicates,
    ).toBe(true);
    expect(analysePhones([{ id: 'a', phone: 'x' }]).rawDuplicates).toBe(false);
  });

  it('never exposes a full number in findings', () => {
    const a = analysePhones([
      { id: 'u1', phone: '07400 123456' },
      { id: 'u2', phone: '+447400123456' },
      { id: 'u3', phone: '+447400123456' },
    ]);
    const text = JSON.stringify({ ...a, rewrites: a.rewrites.map((r) => ({ ...r, value: undefined })) });
    expect(text).not.toContain('7400123456');
    expect(text).not.toContain('7400 123456');
  });
});

describe('isCountryCode', () => {
  it('accepts ISO codes libphonenumber knows', () => {
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('XX')).toBe(false);
    expect(isCountryCode('gb')).toBe(false);
  });
});
