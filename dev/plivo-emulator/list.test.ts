// GET …/Verify/Session/ through the SDK: filters, time filters, the 24-hour window, pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_UUID, AUTH_ID, rejectionOf, startHarness, type Harness } from './test-support';

const T0 = Date.parse('2025-01-15T10:00:00Z');
let now = T0;
let h: Harness;
const phone = (i: number) => `+4474000000${String(i).padStart(2, '0')}`;

// 23 sessions, one per second from 10:00:00, recipients …00 to …22; the one to …05 is verified.
beforeAll(async () => {
  h = await startHarness({ now: () => now });
  for (let i = 0; i < 23; i++) {
    now = T0 + i * 1000;
    const { sessionUuid } = await h.client.verify_session.create({ recipient: phone(i) });
    if (i === 5) await h.client.verify_session.validate({ id: sessionUuid, otp: await h.codeOf(sessionUuid) });
  }
  now = T0 + 30_000;
});
afterAll(() => h.emulator.close());

type Listed = {
  api_id: string;
  meta: { limit: number; offset: number; next: string | null; previous: string | null };
  sessions: Array<Record<string, unknown>>;
};
const list = async (params: object) => (await h.client.verify_session.list(params)) as unknown as Listed;
const recipients = (l: Listed) => l.sessions.map((s) => s.recipient);

describe('list', () => {
  it('pages newest first, 20 at a time, with relative next/previous links', async () => {
    const first = await list({});
    expect(first.api_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.sessions).toHaveLength(20);
    expect(first.sessions[0]).toMatchObject({ recipient: '447400000022', appUuid: APP_UUID, status: 'in-progress' });
    expect(first.meta).toEqual({
      limit: 20,
      offset: 0,
      next: `/v1/Account/${AUTH_ID}/Verify/Session/?limit=20&offset=20`,
      previous: null,
    });
    const second = await list({ offset: 20 });
    expect(recipients(second)).toEqual(['447400000002', '447400000001', '447400000000']);
    expect(second.meta.next).toBeNull();
    expect(second.meta.previous).toBe(`/v1/Account/${AUTH_ID}/Verify/Session/?limit=20&offset=0`);
  });

  it('keeps the filters in the paging links', async () => {
    const page = await list({ limit: 2, status: 'in-progress' });
    expect(page.sessions).toHaveLength(2);
    expect(page.meta.next).toBe(`/v1/Account/${AUTH_ID}/Verify/Session/?limit=2&offset=2&status=in-progress`);
  });

  it('filters by recipient (with or without +), status and app_uuid', async () => {
    expect(recipients(await list({ recipient: phone(7) }))).toEqual(['447400000007']);
    expect(recipients(await list({ recipient: phone(7).slice(1) }))).toEqual(['447400000007']);
    const verified = await list({ status: 'verified' });
    expect(recipients(verified)).toEqual(['447400000005']);
    expect(verified.sessions[0]?.charges).toMatchObject({ validationCharge: '0.05', totalCharge: '0.07100' });
    expect((await list({ app_uuid: APP_UUID })).sessions).toHaveLength(20);
    const none = await list({ app_uuid: '99999999-0000-4000-8000-000000000000' });
    // The SDK hangs meta/apiId on the array itself, so compare length rather than toEqual([]).
    expect(Array.isArray(none.sessions)).toBe(true);
    expect(none.sessions).toHaveLength(0);
    expect(none.meta.next).toBeNull();
  });

  it("filters on session_time with the SDK's comparison parameters", async () => {
    expect(recipients(await list({ sessionTimeGreaterOrEqual: '2025-01-15 10:00:20' }))).toEqual([
      '447400000022',
      '447400000021',
      '447400000020',
    ]);
    expect(recipients(await list({ sessionTimeGreaterThan: '2025-01-15 10:00:21' }))).toEqual(['447400000022']);
    expect(recipients(await list({ sessionTimeLessThan: '2025-01-15 10:00:02' }))).toEqual(['447400000001', '447400000000']);
    expect(recipients(await list({ sessionTimeLessOrEqual: '2025-01-15 10:00:01' }))).toEqual(['447400000001', '447400000000']);
    expect(recipients(await list({ session_time: '2025-01-15 10:00:03' }))).toEqual(['447400000003']);
    expect((await list({ session_time: '2025-01-15 10:00', limit: 20 })).meta.next).not.toBeNull();
  });

  it('shows only the last 24 hours unless a session_time filter widens the window', async () => {
    now = T0 + 25 * 3600_000;
    try {
      expect((await list({})).sessions).toHaveLength(0);
      const old = await list({ sessionTimeGreaterOrEqual: '2025-01-15 00:00', status: 'expired' });
      expect(old.sessions).toHaveLength(20);
    } finally {
      now = T0 + 30_000;
    }
  });

  it.each([
    [{ limit: 21 }, 'limit must be an integer between 1 and 20'],
    [{ offset: -1 }, 'offset must be a non-negative integer'],
    [{ status: 'done' }, 'status must be one of in-progress, verified, expired'],
    [{ session_time: 'yesterday' }, 'session_time must look like YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)'],
  ])('rejects bad filters with 400 (%o)', async (params, message) => {
    const err = (await rejectionOf(h.client.verify_session.list(params))) as { status: number; message: string };
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
  });
});
