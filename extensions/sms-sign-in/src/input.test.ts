import { describe, expect, it } from 'vitest';
import { SignInError } from './errors';
import { MAX_USER_AGENT_LENGTH, parseIssue, parseLookup, parseOrigin } from './input';

const valid = {
  phone: '+447400123456',
  plivo_session_uuid: '4124E518-A8C9-4FEB-8CFF-D86636BA9234',
  ip: '2001:db8::1',
  user_agent: 'Mozilla/5.0',
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof SignInError ? error.code : 'not a SignInError';
  }
  return undefined;
}

describe('parseIssue', () => {
  it('normalises the uuid to lower case and keeps the rest', () => {
    expect(parseIssue(valid)).toEqual({
      phone: '+447400123456',
      plivoSessionUuid: '4124e518-a8c9-4feb-8cff-d86636ba9234',
      ip: '2001:db8::1',
      userAgent: 'Mozilla/5.0',
      member: null,
      signUp: false,
    });
  });

  it('takes a missing or null user agent as none and cuts a long one as Directus would', () => {
    expect(parseIssue({ ...valid, user_agent: undefined }).userAgent).toBeNull();
    expect(parseIssue({ ...valid, user_agent: null }).userAgent).toBeNull();
    expect(parseIssue({ ...valid, user_agent: 'x'.repeat(5000) }).userAgent).toHaveLength(MAX_USER_AGENT_LENGTH);
  });

  it.each([
    [{ ...valid, phone: '+44 7400 123456' }, 'invalid_phone'],
    [{ ...valid, phone: '+0447400123456' }, 'invalid_phone'],
    [{ ...valid, phone: undefined }, 'invalid_phone'],
    [{ ...valid, plivo_session_uuid: '4124e518a8c94feb8cffd86636ba9234' }, 'invalid_plivo_session_uuid'],
    [{ ...valid, plivo_session_uuid: 7 }, 'invalid_plivo_session_uuid'],
    [{ ...valid, ip: '999.1.1.1' }, 'invalid_ip'],
    [{ ...valid, ip: undefined }, 'invalid_ip'],
    [{ ...valid, user_agent: { a: 1 } }, 'invalid_user_agent'],
    [{ ...valid, member: 12 }, 'invalid_member'],
    [{ ...valid, member: 'm'.repeat(101) }, 'invalid_member'],
    [null, 'invalid_phone'],
    [[valid], 'invalid_phone'],
  ])('refuses %j with %s', (body, code) => {
    expect(codeOf(() => parseIssue(body))).toBe(code);
  });
});

describe('parseLookup', () => {
  it('wants only an E.164 phone', () => {
    expect(parseLookup({ phone: '+12015550123', extra: true })).toEqual({ phone: '+12015550123' });
    expect(codeOf(() => parseLookup({ phone: '2015550123' }))).toBe('invalid_phone');
  });
});

describe('parseOrigin', () => {
  it('keeps an origin and drops anything else', () => {
    expect(parseOrigin('https://app.example.com')).toBe('https://app.example.com');
    expect(parseOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    for (const value of [undefined, '', 'null', 'https://app.example.com/path', `https://${'a'.repeat(260)}.com`, 'javascript:alert(1)']) {
      expect(parseOrigin(value)).toBeNull();
    }
  });
});
