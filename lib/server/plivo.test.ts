// The Plivo adapter against the emulator, through the real SDK: every documented outcome of
// create and validate becomes one error code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { APP_UUID, AUTH_ID, AUTH_TOKEN, startHarness, type DevSessions, type Harness } from '@/dev/plivo-emulator/test-support';
import { parseEnv } from './env';
import { ApiError, DeliveryCapReached } from './errors';
import { createPlivoVerifier } from './plivo';
import type { Verifier } from './sign-in/ports';

const PHONE = '+447400123456';
let h: Harness;
let plivo: Verifier;

beforeAll(async () => {
  h = await startHarness();
  const env = {
    NODE_ENV: 'test',
    PLIVO_AUTH_ID: AUTH_ID,
    PLIVO_AUTH_TOKEN: AUTH_TOKEN,
    PLIVO_APP_UUID: APP_UUID,
    PLIVO_API_URL: h.emulator.url,
  };
  plivo = createPlivoVerifier(parseEnv({ ...env, PLIVO_TIMEOUT_MS: '300', OTP_CODE_LENGTH: '8' }));
});
afterAll(() => h.emulator.close());
beforeEach(() => h.dev('POST', '/dev/reset'));

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}
const send = () => plivo.sendCode(PHONE, 'sms', 'en', 'delivery-1');

describe('the Plivo adapter', () => {
  it('asks for codes of OTP_CODE_LENGTH digits', async () => {
    const { sessionUuid } = await send();
    expect(await h.codeOf(sessionUuid)).toMatch(/^\d{8}$/);
  });

  it.each([
    ['en', 'en'],
    ['de', 'de'],
    ['es', 'es'],
  ] as const)('asks Plivo to speak %s as locale %s', async (language, locale) => {
    const { sessionUuid } = await plivo.sendCode(PHONE, 'sms', language, 'delivery-1');
    const { json } = await h.dev('GET', `/dev/sessions?recipient=${encodeURIComponent(PHONE)}`);
    expect((json as DevSessions).sessions.find((s) => s.session_uuid === sessionUuid)?.locale).toBe(locale);
  });

  it.each([
    ['a geo refusal', { refuse: 'geo' }, 'country_not_allowed', 403],
    ['a number Plivo finds invalid', { refuse: 'invalid' }, 'invalid_phone', 400],
    ["Plivo's rate limit", { refuse: 'rate_limit' }, 'rate_limited', 429],
  ])('maps %s on create', async (_label, rule, code, status) => {
    await h.dev('POST', '/dev/recipients', { recipient: PHONE, ...rule });
    const error = await refusal(send());
    expect([error.code, error.status]).toEqual([code, status]);
    expect(String(error.cause)).not.toContain('7400123456');
  });

  it("gives Plivo's rate limit a retryAfter of a minute, on validate too", async () => {
    await h.dev('POST', '/dev/faults', { endpoint: 'validate', kind: 'status', status: 429, times: 1 });
    const error = await refusal(plivo.checkCode('any', '12345678'));
    expect([error.code, error.extra.retryAfter]).toEqual(['rate_limited', 60]);
  });

  it("maps the session's delivery cap to a DeliveryCapReached, which the sign-in times", async () => {
    await h.dev('POST', '/dev/recipients', { recipient: PHONE, maxAttempts: 1 });
    await send();
    expect(await refusal(send())).toBeInstanceOf(DeliveryCapReached);
  });

  it.each([
    ['a 5xx', { kind: 'status', status: 502 }],
    ['an HTML 503', { kind: 'status', status: 503, body: '<html>down</html>' }],
    ['a hang', { kind: 'hang' }],
    ['malformed JSON', { kind: 'malformed' }],
  ])('calls only real outages unavailable: %s', async (_label, fault) => {
    await h.dev('POST', '/dev/faults', { endpoint: 'create', times: 1, ...fault });
    expect((await refusal(send())).code).toBe('upstream_unavailable');
  });

  it('calls a 4xx about our own request (credentials) a failure on our side, not an outage', async () => {
    const env = { NODE_ENV: 'test', PLIVO_AUTH_ID: AUTH_ID, PLIVO_AUTH_TOKEN: 'wrong', PLIVO_API_URL: h.emulator.url };
    expect((await refusal(createPlivoVerifier(parseEnv(env)).sendCode(PHONE, 'sms', 'en', 'delivery-1'))).code).toBe('internal_error');
  });
});
