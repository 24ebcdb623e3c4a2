// Create, resend, validate and get, driven through the real plivo SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_UUID, PHONE, RFC3339_MICROS, rejectionOf, startHarness, type Harness } from './test-support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ expirySeconds: 600, maxValidations: 3, maxAttempts: 3 });
});
afterAll(() => h.emulator.close());
beforeEach(() => h.dev('POST', '/dev/reset'));

const send = (extra: Record<string, unknown> = {}) => h.client.verify_session.create({ recipient: PHONE, app_uuid: APP_UUID, ...extra });

describe('create', () => {
  it('starts a session and answers like Plivo', async () => {
    const res = await send();
    expect(res.message).toBe('Session initiated');
    expect(res.sessionUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.apiId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await h.codeOf(res.sessionUuid)).toMatch(/^\d{6}$/);
  });

  it('honours code_length and uses the app default without app_uuid', async () => {
    const res = await h.client.verify_session.create({ recipient: '447400999001', code_length: 8 });
    expect(await h.codeOf(res.sessionUuid)).toMatch(/^\d{8}$/);
    const got = await h.client.verify_session.get(res.sessionUuid);
    expect(got.appUuid).toBe(APP_UUID);
  });

  it('resends within the same session: same uuid, same code, count 2, channel voice', async () => {
    const first = await send();
    const code = await h.codeOf(first.sessionUuid);
    const second = await send({ channel: 'voice' });
    expect(second.sessionUuid).toBe(first.sessionUuid);
    expect(await h.codeOf(first.sessionUuid)).toBe(code);
    const got = await h.client.verify_session.get(first.sessionUuid);
    expect(got.count).toBe(2);
    expect(got.channel).toBe('voice');
    expect(got.attemptDetails.map((a: { channel: string }) => a.channel)).toEqual(['sms', 'voice']);
  });

  it('refuses a delivery beyond maxAttempts with 400', async () => {
    await send();
    await send();
    await send();
    const err = (await rejectionOf(send())) as { status: number; message: string };
    expect(err.status).toBe(400);
    expect(err.message).toBe('maximum delivery attempts exceeded for this session');
  });

  it('starts a new session (new uuid, new code) once the previous one is verified', async () => {
    const first = await send();
    await h.client.verify_session.validate({ id: first.sessionUuid, otp: await h.codeOf(first.sessionUuid) });
    const second = await send();
    expect(second.sessionUuid).not.toBe(first.sessionUuid);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ recipient: 'not-a-number' }, 'recipient must be a valid phone number in E.164 format'],
    [{ recipient: PHONE, channel: 'email' }, 'channel must be one of sms, voice'],
    [{ recipient: PHONE, code_length: 9 }, 'code_length must be an integer between 4 and 8'],
    ...['de-DE', 'DE', 'deutsch', 'en_gb', 'e'].map((locale): [Record<string, unknown>, string] => [
      { recipient: PHONE, locale },
      'locale must be a language code, optionally with a region, such as en, es or fr_FR',
    ]),
    [
      { recipient: PHONE, app_uuid: 'ffffffff-0000-4000-8000-000000000000' },
      'app_uuid does not match any Verify application on this account',
    ],
  ])('rejects bad parameters with 400 (%o)', async (params, message) => {
    const err = (await rejectionOf(h.client.verify_session.create(params))) as { status: number; message: string; apiID: string };
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
    expect(err.apiID).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('locale', () => {
  // The SDK's typings omit locale, but create() sends it and get() maps it (reference §4, §9.11).
  const localeOf = async (sessionUuid: string) =>
    ((await h.client.verify_session.get(sessionUuid)) as unknown as { locale: string }).locale;
  const withLocale = (locale: string) => send({ locale });

  it.each(['de', 'es', 'en_GB', 'fr_FR'])('records %s, as the SDK sends it', async (locale) => {
    const { sessionUuid } = await withLocale(locale);
    expect(await localeOf(sessionUuid)).toBe(locale);
    const { json } = await h.dev('GET', `/dev/sessions?recipient=${PHONE}`);
    const [listed] = (json as { sessions: Array<{ locale: string }> }).sessions;
    expect(listed?.locale).toBe(locale);
  });

  it('defaults to en and keeps the first locale across a resend', async () => {
    const first = await send();
    expect(await localeOf(first.sessionUuid)).toBe('en');
    const again = await withLocale('es');
    expect(again.sessionUuid).toBe(first.sessionUuid);
    expect(await localeOf(first.sessionUuid)).toBe('en');
  });
});

describe('validate', () => {
  it('accepts the right code', async () => {
    const { sessionUuid } = await send();
    const res = await h.client.verify_session.validate({ id: sessionUuid, otp: await h.codeOf(sessionUuid) });
    expect(res.message).toBe('session validated successfully.');
    const got = await h.client.verify_session.get(sessionUuid);
    expect(got.status).toBe('verified');
    expect(got.charges.validationCharge).toBe('0.05');
    expect(got.charges.totalCharge).toBe('0.07100');
  });

  it('rejects a wrong code with 400 "Invalid OTP" and keeps the session open', async () => {
    const { sessionUuid } = await send();
    const code = await h.codeOf(sessionUuid);
    const wrong = code === '000000' ? '111111' : '000000';
    const err = (await rejectionOf(h.client.verify_session.validate({ id: sessionUuid, otp: wrong }))) as {
      status: number;
      message: string;
    };
    expect(err.status).toBe(400);
    expect(err.message).toBe('Invalid OTP');
    expect((await h.client.verify_session.get(sessionUuid)).status).toBe('in-progress');
  });

  it('accepts a numeric otp and the upper-case OTP key of older clients', async () => {
    const { sessionUuid } = await send({ code_length: 4 });
    const code = await h.codeOf(sessionUuid);
    const res = await fetch(`${h.emulator.url}/v1/Account/MATESTEMULATOR000001/Verify/Session/${sessionUuid}/`, {
      method: 'POST',
      headers: {
        Authorization: 'Basic ' + Buffer.from('MATESTEMULATOR000001:test-auth-token').toString('base64'),
        'Content-Type': 'application/json',
      },
      body: `{"OTP": ${code.startsWith('0') ? JSON.stringify(code) : code}}`,
    });
    expect(res.status).toBe(200);
  });

  it('rejects an expired session with 400 "session expired" after the clock moves', async () => {
    const { sessionUuid } = await send();
    const code = await h.codeOf(sessionUuid);
    await h.dev('POST', '/dev/clock', { advanceSeconds: 601 });
    const err = (await rejectionOf(h.client.verify_session.validate({ id: sessionUuid, otp: code }))) as {
      status: number;
      message: string;
    };
    expect(err.status).toBe(400);
    expect(err.message).toBe('session expired');
    expect((await h.client.verify_session.get(sessionUuid)).status).toBe('expired');
  });

  it('stops evaluating codes after maxValidations, even the right one', async () => {
    const { sessionUuid } = await send();
    const code = await h.codeOf(sessionUuid);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      const err = (await rejectionOf(h.client.verify_session.validate({ id: sessionUuid, otp: wrong }))) as { message: string };
      expect(err.message).toBe('Invalid OTP');
    }
    const err = (await rejectionOf(h.client.verify_session.validate({ id: sessionUuid, otp: code }))) as {
      status: number;
      message: string;
    };
    expect(err.status).toBe(400);
    expect(err.message).toBe('maximum validation attempts exceeded');
  });

  it('rejects a second validation with 400 "session already verified"', async () => {
    const { sessionUuid } = await send();
    const code = await h.codeOf(sessionUuid);
    await h.client.verify_session.validate({ id: sessionUuid, otp: code });
    const err = (await rejectionOf(h.client.verify_session.validate({ id: sessionUuid, otp: code }))) as {
      status: number;
      message: string;
    };
    expect(err.status).toBe(400);
    expect(err.message).toBe('session already verified');
  });

  it('answers 404 "not found" for an unknown session', async () => {
    const err = (await rejectionOf(h.client.verify_session.validate({ id: '00000000-0000-4000-8000-000000000000', otp: '123456' }))) as {
      status: number;
      message: string;
    };
    expect(err.status).toBe(404);
    expect(err.message).toBe('not found');
  });
});

describe('get', () => {
  it('returns every field of the session object, mapped by the SDK', async () => {
    const { sessionUuid } = await send({ locale: 'fr' });
    await send({ channel: 'voice' });
    const got = await h.client.verify_session.get(sessionUuid);
    expect(got).toMatchObject({
      sessionUuid,
      appUuid: APP_UUID,
      alias: 'default_verify_app',
      recipient: '447400123456',
      channel: 'voice',
      status: 'in-progress',
      count: 2,
      locale: 'fr',
      requestor_ip: '127.0.0.1',
      destination_country_iso2: 'GB',
      destination_network: null,
    });
    expect(got.apiId).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.createdAt).toMatch(RFC3339_MICROS);
    expect(got.updatedAt).toMatch(RFC3339_MICROS);
    expect(got.updatedAt >= got.createdAt).toBe(true);
    const [sms, voice] = got.attemptDetails as Array<Record<string, string>>;
    expect(Object.keys(sms ?? {}).sort()).toEqual(['attemptUuid', 'channel', 'status', 'time']);
    expect(sms).toMatchObject({ channel: 'sms', status: 'delivered' });
    expect(voice).toMatchObject({ channel: 'voice', status: 'answer' });
    expect(sms?.time).toMatch(RFC3339_MICROS);
    expect(got.charges).toEqual({
      totalCharge: '0.02700',
      validationCharge: '0.0000',
      attemptCharges: [
        { attemptUuid: sms?.attemptUuid, channel: 'sms', charge: '0.02100' },
        { attemptUuid: voice?.attemptUuid, channel: 'voice', charge: '0.00600' },
      ],
    });
  });

  it('answers 404 "not found" for an unknown session', async () => {
    const err = (await rejectionOf(h.client.verify_session.get('00000000-0000-4000-8000-000000000000'))) as {
      status: number;
      message: string;
    };
    expect(err.status).toBe(404);
    expect(err.message).toBe('not found');
  });
});

describe('auth and account', () => {
  it("rejects a wrong token with 401 and Plivo's body without api_id", async () => {
    const err = (await rejectionOf(h.clientWithTimeout(2000, 'wrong-token').verify_session.create({ recipient: PHONE }))) as {
      status: number;
      message: string;
      apiID: unknown;
    };
    expect(err.status).toBe(401);
    expect(err.message).toBe('authentication credentials were not provided');
    expect(err.apiID).toBeUndefined();
  });

  it('rejects a path auth_id that is not the Basic user', async () => {
    const res = await fetch(`${h.emulator.url}/v1/Account/MAOTHERACCOUNT000001/Verify/Session/`, {
      headers: { Authorization: 'Basic ' + Buffer.from('MATESTEMULATOR000001:test-auth-token').toString('base64') },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'authentication credentials were not provided' });
  });

  it('serves the account object to client.accounts.get()', async () => {
    const account = await h.client.accounts.get();
    expect(account).toMatchObject({ accountType: 'standard', billingMode: 'prepaid', cashCredits: '100.00000', timezone: 'Etc/UTC' });
    expect(account.resourceUri).toBe('/v1/Account/MATESTEMULATOR000001/');
    expect(account.apiId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown paths with 404 and wrong methods with 405, in Plivo's envelope", async () => {
    const auth = { Authorization: 'Basic ' + Buffer.from('MATESTEMULATOR000001:test-auth-token').toString('base64') };
    const missing = await fetch(`${h.emulator.url}/v1/Account/MATESTEMULATOR000001/Verify/Session`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not found' });
    const wrongMethod = await fetch(`${h.emulator.url}/v1/Account/MATESTEMULATOR000001/Verify/Session/`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
    expect(await wrongMethod.json()).toMatchObject({ api_id: expect.any(String), error: 'method not allowed' });
  });
});
