// Per-recipient refusals and delivery caps, observed through the SDK the way the app sees them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// The app's own reading of an SDK rejection: the emulator must fail in the way the app understands.
import { plivoErrorStatus } from '../../lib/server/plivo-errors';
import { PHONE, rejectionOf, startHarness, type Harness } from './test-support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());
beforeEach(() => h.dev('POST', '/dev/reset'));

const FRENCH = '+33612345678';
const create = (recipient = PHONE) => h.client.verify_session.create({ recipient });
const rule = async (body: Record<string, unknown>) => expect((await h.dev('POST', '/dev/recipients', body)).status).toBe(200);

describe('recipient rules', () => {
  it('geo refuses a whole country with a 403 the SDK exposes as status, and sends nothing', async () => {
    await rule({ recipient: '+33', refuse: 'geo' });
    const err = (await rejectionOf(create(FRENCH))) as { status: number; message: string };
    expect(err.status).toBe(403);
    expect(err.message).toBe('destination country is not enabled in the Geo Permissions of this account');
    expect((await create()).message).toBe('Session initiated'); // other countries still work
    const { json } = await h.dev('GET', `/dev/sessions?recipient=${encodeURIComponent(FRENCH)}`);
    expect(json).toEqual({ sessions: [] });
  });

  it('invalid answers 400 naming the recipient', async () => {
    await rule({ recipient: PHONE, refuse: 'invalid' });
    const err = (await rejectionOf(create())) as { status: number; message: string };
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^recipient /);
  });

  it('rate_limit answers 429, which the SDK reports only in its message', async () => {
    await rule({ recipient: PHONE, refuse: 'rate_limit' });
    const err = await rejectionOf(create());
    expect((err as { status?: number }).status).toBeUndefined();
    expect(plivoErrorStatus(err)).toBe(429);
  });

  it("maxAttempts caps one session's deliveries for that number; a new session starts once it ends", async () => {
    await rule({ recipient: PHONE, maxAttempts: 2 });
    const first = await create();
    expect((await create()).sessionUuid).toBe(first.sessionUuid);
    const err = (await rejectionOf(create())) as { status: number; message: string };
    expect([err.status, err.message]).toEqual([400, 'maximum delivery attempts exceeded for this session']);
    await h.dev('POST', '/dev/clock', { advanceSeconds: 600 });
    expect((await create()).sessionUuid).not.toBe(first.sessionUuid);
  });

  it('the longest prefix wins, so one number can be let through its blocked country', async () => {
    await rule({ recipient: '33', refuse: 'geo' });
    await rule({ recipient: FRENCH, maxAttempts: 5 });
    expect((await create(FRENCH)).message).toBe('Session initiated');
    expect(plivoErrorStatus(await rejectionOf(create('+33699999999')))).toBe(403);
  });

  it('DELETE /dev/recipients and /dev/reset drop every rule', async () => {
    await rule({ recipient: PHONE, refuse: 'geo' });
    expect((await h.dev('DELETE', '/dev/recipients')).json).toEqual({ rules: 0 });
    expect((await create()).message).toBe('Session initiated');
    await rule({ recipient: '+1', refuse: 'geo' });
    await h.dev('POST', '/dev/reset');
    expect((await create('+12025550123')).message).toBe('Session initiated');
  });

  it.each([
    [{ refuse: 'geo' }, 'recipient must be a phone number or a prefix of one (digits, "+" optional)'],
    [{ recipient: '+44', refuse: 'ban' }, 'refuse must be one of geo, invalid, rate_limit'],
    [{ recipient: '+44', maxAttempts: 0 }, 'maxAttempts must be a positive integer'],
    [{ recipient: '+44', failSms: '453' }, 'failSms must be one of 450, 451, 452, failed, undelivered'],
    [{ recipient: '+44' }, 'give refuse, maxAttempts or failSms'],
  ])('rejects a bad rule (%o)', async (body, error) => {
    expect(await h.dev('POST', '/dev/recipients', body)).toEqual({ status: 400, json: { error } });
  });
});
