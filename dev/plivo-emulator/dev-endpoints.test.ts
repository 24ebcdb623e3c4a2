// The /dev/ endpoints: health, the codes "on the phone", clock and reset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PHONE, RFC3339_MICROS, startHarness, type DevSessions, type Harness } from './test-support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());
beforeEach(() => h.dev('POST', '/dev/reset'));

const sessions = async (query = '') => ((await h.dev('GET', `/dev/sessions${query}`)).json as DevSessions).sessions;

describe('dev endpoints', () => {
  it('GET /dev/health answers ok', async () => {
    expect(await h.dev('GET', '/dev/health')).toEqual({ status: 200, json: { status: 'ok' } });
  });

  it("GET /dev/sessions?recipient= lists that number's sessions newest first, in the documented shape", async () => {
    const first = await h.client.verify_session.create({ recipient: PHONE });
    await h.client.verify_session.create({ recipient: PHONE, channel: 'voice' }); // resend, same session
    await h.client.verify_session.create({ recipient: '+447400999999' });
    await h.client.verify_session.validate({ id: first.sessionUuid, otp: '000000' }).catch(() => undefined);
    await h.client.verify_session.validate({ id: first.sessionUuid, otp: await h.codeOf(first.sessionUuid) });
    const second = await h.client.verify_session.create({ recipient: PHONE });

    const listed = await sessions(`?recipient=${encodeURIComponent(PHONE)}`);
    expect(listed.map((s) => s.session_uuid)).toEqual([second.sessionUuid, first.sessionUuid]);
    for (const s of listed) {
      expect(Object.keys(s).sort()).toEqual([
        'channel',
        'code',
        'created_at',
        'deliveries',
        'locale',
        'recipient',
        'session_uuid',
        'status',
        'validations',
      ]);
      expect(s.locale).toBe('en');
      expect(s.recipient).toBe(PHONE);
      expect(s.code).toMatch(/^\d{6}$/);
      expect(s.created_at).toMatch(RFC3339_MICROS);
    }
    expect(listed[1]).toMatchObject({ channel: 'voice', status: 'verified', deliveries: 2, validations: 2 });
    expect(listed[0]).toMatchObject({ channel: 'sms', status: 'in-progress', deliveries: 1, validations: 0 });
  });

  it('matches the recipient with or without "+" and echoes it as asked', async () => {
    await h.client.verify_session.create({ recipient: '447400123456' });
    const listed = await sessions('?recipient=447400123456');
    expect(listed).toHaveLength(1);
    expect(listed[0]?.recipient).toBe('447400123456');
    expect(await sessions(`?recipient=${encodeURIComponent(PHONE)}`)).toHaveLength(1);
  });

  it('without recipient lists everyone\'s latest sessions with "+" numbers', async () => {
    await h.client.verify_session.create({ recipient: '447400000001' });
    await h.client.verify_session.create({ recipient: '+447400000002' });
    expect((await sessions()).map((s) => s.recipient)).toEqual(['+447400000002', '+447400000001']);
  });

  it('POST /dev/clock moves emulator time; POST /dev/reset drops sessions and the offset', async () => {
    const { sessionUuid } = await h.client.verify_session.create({ recipient: PHONE });
    const moved = await h.dev('POST', '/dev/clock', { advanceSeconds: 599 });
    expect(moved.json).toMatchObject({ offsetSeconds: 599 });
    expect((await sessions())[0]?.status).toBe('in-progress');
    await h.dev('POST', '/dev/clock', { advanceSeconds: 2 });
    expect((await sessions())[0]?.status).toBe('expired');
    const again = await h.client.verify_session.create({ recipient: PHONE });
    expect(again.sessionUuid).not.toBe(sessionUuid);

    expect(await h.dev('POST', '/dev/reset')).toEqual({ status: 200, json: { status: 'ok' } });
    expect(await sessions()).toEqual([]);
    expect((await h.dev('POST', '/dev/clock', { advanceSeconds: 0 })).json).toMatchObject({ offsetSeconds: 0 });
  });

  it('rejects a bad clock move and unknown dev paths', async () => {
    expect((await h.dev('POST', '/dev/clock', { advanceSeconds: -5 })).status).toBe(400);
    expect((await h.dev('GET', '/dev/nothing')).status).toBe(404);
    expect((await h.dev('GET', '/dev/reset')).status).toBe(405);
  });
});
