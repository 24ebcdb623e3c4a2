import { describe, expect, it } from 'vitest';
import { judgeProof, parsePlivoTime } from './proof-decision';

const now = Date.parse('2026-03-01T12:00:00Z');
const expected = { phone: '+447400123456', appUuid: '00000000-0000-4000-8000-00000000a991', lifetimeSeconds: 600, now };
// The shape of Plivo's GET …/Verify/Session/{uuid}/ (reference fixtures), verified two minutes ago.
const session = {
  session_uuid: '4124e518-a8c9-4feb-8cff-d86636ba9234',
  app_uuid: '00000000-0000-4000-8000-00000000a991',
  recipient: '447400123456',
  status: 'verified',
  created_at: '2026-03-01T11:58:00.187679Z',
  updated_at: '0001-01-01T05:53:28+05:53',
};

describe('judgeProof', () => {
  it('accepts a fresh verified session of this app for this number', () => {
    expect(judgeProof(session, expected)).toBeNull();
  });

  it.each([
    ['in-progress', { status: 'in-progress' }, 'not_verified'],
    ['expired', { status: 'expired' }, 'not_verified'],
    ['for another number', { recipient: '447400123457' }, 'other_recipient'],
    ['for another app', { app_uuid: '11111111-2222-4333-8444-555555555555' }, 'other_app'],
    ['created 601 s ago', { created_at: '2026-03-01T11:49:59Z' }, 'too_old'],
    ['created 6 min in the future', { created_at: '2026-03-01T12:06:00Z' }, 'from_the_future'],
    ['without created_at', { created_at: undefined }, 'malformed'],
    ['with an unreadable created_at', { created_at: 'yesterday' }, 'malformed'],
    ['without status', { status: undefined }, 'malformed'],
  ])('refuses a session %s', (_name, change, reason) => {
    expect(judgeProof({ ...session, ...change }, expected)).toBe(reason);
  });

  it('accepts the recipient with or without "+" and the app uuid in any case', () => {
    expect(judgeProof({ ...session, recipient: '+447400123456', app_uuid: session.app_uuid.toUpperCase() }, expected)).toBeNull();
  });

  it('accepts exactly the lifetime and a little clock skew, and never looks at updated_at', () => {
    expect(judgeProof({ ...session, created_at: '2026-03-01T11:50:00Z' }, expected)).toBeNull();
    expect(judgeProof({ ...session, created_at: '2026-03-01T12:04:00Z' }, expected)).toBeNull();
  });

  it.each([null, 'verified', 42, []])('refuses %j as malformed', (value) => {
    expect(judgeProof(value, expected)).toBe('malformed');
  });
});

describe('parsePlivoTime', () => {
  it('reads microseconds and offsets', () => {
    expect(parsePlivoTime('2023-06-30T12:12:03.187679+05:30')).toBe(Date.parse('2023-06-30T06:42:03.187Z'));
    expect(parsePlivoTime('2023-06-30T12:12:03Z')).toBe(Date.parse('2023-06-30T12:12:03.000Z'));
    expect(parsePlivoTime('2023-06-30T12:12:03.5z')).toBe(Date.parse('2023-06-30T12:12:03.500Z'));
  });

  it("reads Go's zero time as a time long past", () => {
    expect(parsePlivoTime('0001-01-01T05:53:28+05:53')).toBeLessThan(0);
  });

  it.each(['2023-06-30 12:12:03', '2023-06-30T12:12:03', '', 1_700_000_000_000, null])('rejects %j', (value) => {
    expect(parsePlivoTime(value)).toBeNull();
  });
});
