import { beforeEach, describe, expect, inject, it } from 'vitest';

import { newNonce, signatureV2 } from '../../dev/plivo-emulator/callback-signature';
import { LOCAL_STACK } from '@/lib/local-stack';
import { probabilityGreater } from '../../dev/bench/stats';
import { timesTo, voiceResendsSideBySide, type Polled } from '../../dev/bench/voice-status';
import { emulatorControl, type SmsFailure } from '../support/emulator';
import { resetLimits } from '../support/limits';
import { pendingIn } from '../support/session';
import { apiClient } from './api-client';

// Plivo's status callbacks through the app: the emulator reports each delivery to the callback URL
// the app gave it, the app keeps the latest state, and the code screen's endpoint shows it.
const stack = inject('stack');
const emulator = emulatorControl(stack.emulatorUrl);
const ADA = LOCAL_STACK.demoMember.phone;
const STRANGER = '+447400999888';
const AUTH_TOKEN = stack.appEnv.PLIVO_AUTH_TOKEN!;

type Api = ReturnType<typeof apiClient>;

beforeEach(async () => {
  await Promise.all([emulator.reset(), resetLimits(stack.redisUrl)]);
});

async function started(phone: string): Promise<Api> {
  const api = apiClient(stack.appUrl);
  expect((await api.post('/api/auth/start', { phone })).status).toBe(200);
  return api;
}

/** Every state the endpoint shows until it shows a final one (within 10 s). */
async function statesUntilFinal(api: Api): Promise<unknown[]> {
  const seen: unknown[] = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { status, body } = await api.get('/api/auth/delivery');
    expect(status).toBe(200);
    if (JSON.stringify(seen.at(-1)) !== JSON.stringify(body)) seen.push(body);
    if (['delivered', 'failed', 'unknown'].includes(body.delivery)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no final delivery state within 10 s: ${JSON.stringify(seen)}`);
}

const deliveryOf = async (api: Api) => (await pendingIn(api.cookie?.split(/=(.*)/s)[1], stack.appEnv.SESSION_SECRET!))!.delivery!;
const callbackUrl = (delivery: string) => `${stack.appUrl}/api/plivo/status/${delivery}`;

/** A callback as Plivo sends one: form-encoded, V2-signed with `token` over the URL and the nonce. */
function callback(
  delivery: string,
  fields: Record<string, string>,
  { nonce = newNonce(), token = AUTH_TOKEN, signed = true, signedUrl = callbackUrl(delivery) } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (signed) {
    headers['X-Plivo-Signature-V2'] = signatureV2(signedUrl, nonce, token);
    headers['X-Plivo-Signature-V2-Nonce'] = nonce;
  }
  const body = new URLSearchParams({ SessionStatus: 'in-progress', Channel: 'sms', ChannelErrorCode: '', ...fields });
  return apiClient(stack.appUrl).request('POST', `/api/plivo/status/${delivery}`, { raw: body.toString(), headers });
}

describe("a member's delivery, as Plivo reports it", () => {
  it('shows sending or sent, then delivered', async () => {
    const states = await statesUntilFinal(await started(ADA));
    expect(states.at(-1)).toEqual({ delivery: 'delivered' });
    for (const state of states.slice(0, -1)) expect(['sending', 'sent']).toContain((state as { delivery: string }).delivery);
  });

  it.each([
    ['450', 'country_blocked'],
    ['451', 'fraud_threshold'],
    ['452', 'fraud_shield'],
    ['failed', 'undelivered'],
    ['undelivered', 'undelivered'],
  ] as Array<[SmsFailure, string]>)('a text failing with %s shows failed, %s; a call instead is delivered', async (failSms, reason) => {
    await emulator.recipientRule({ recipient: ADA, failSms });
    const api = await started(ADA);
    expect((await statesUntilFinal(api)).at(-1)).toEqual({ delivery: 'failed', reason });
    await new Promise((resolve) => setTimeout(resolve, 3_100)); // the stack's resend cooldown
    expect((await api.post('/api/auth/resend', { channel: 'voice' })).status).toBe(200);
    expect((await statesUntilFinal(api)).at(-1)).toEqual({ delivery: 'delivered' });
  });

  it('never goes back: a late "sent" after delivered, or "delivered" after a failure, changes nothing', async () => {
    const api = await started(ADA);
    await statesUntilFinal(api);
    const late = await callback(await deliveryOf(api), { ChannelStatus: 'sent' });
    expect([late.status, late.body]).toEqual([200, { status: 'kept' }]);
    expect((await api.get('/api/auth/delivery')).body).toEqual({ delivery: 'delivered' });

    await emulator.recipientRule({ recipient: ADA, failSms: '452' });
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect((await api.post('/api/auth/resend', { channel: 'sms' })).status).toBe(200);
    expect((await statesUntilFinal(api)).at(-1)).toEqual({ delivery: 'failed', reason: 'fraud_shield' });
    expect((await callback(await deliveryOf(api), { ChannelStatus: 'delivered' })).body).toEqual({ status: 'kept' });
    expect((await api.get('/api/auth/delivery')).body).toEqual({ delivery: 'failed', reason: 'fraud_shield' });
  });
});

describe('the callback route refuses', () => {
  it('an unsigned callback (401), a wrong signature (403) and a replayed nonce (409), changing nothing', async () => {
    const api = await started(ADA);
    await statesUntilFinal(api);
    const delivery = await deliveryOf(api);
    const failed = { ChannelStatus: 'failed', ChannelErrorCode: '452' };

    const unsigned = await callback(delivery, failed, { signed: false });
    expect([unsigned.status, unsigned.body.error.code]).toEqual([401, 'callback_unsigned']);
    const otherToken = await callback(delivery, failed, { token: 'not-our-auth-token' });
    expect([otherToken.status, otherToken.body.error.code]).toEqual([403, 'callback_signature_invalid']);
    const otherUrl = await callback(delivery, failed, { signedUrl: callbackUrl('another-delivery') });
    expect([otherUrl.status, otherUrl.body.error.code]).toEqual([403, 'callback_signature_invalid']);

    const nonce = newNonce();
    expect((await callback(delivery, { ChannelStatus: 'delivered' }, { nonce })).status).toBe(200);
    const replayed = await callback(delivery, failed, { nonce });
    expect([replayed.status, replayed.body.error.code]).toEqual([409, 'callback_replayed']);
    expect((await api.get('/api/auth/delivery')).body).toEqual({ delivery: 'delivered' });
  });

  it("a stale callback (410): a delivery that is not ours, or a stranger's imitated one", async () => {
    const unknown = await callback('00000000-0000-4000-8000-000000000000', { ChannelStatus: 'sent' });
    expect([unknown.status, unknown.body.error.code]).toEqual([410, 'callback_stale']);
    const stranger = await started(STRANGER);
    const imitated = await callback(await deliveryOf(stranger), { ChannelStatus: 'failed', ChannelErrorCode: '450' });
    expect([imitated.status, imitated.body.error.code]).toEqual([410, 'callback_stale']);
  });

  it('a body that is not form-encoded (400)', async () => {
    const api = await started(ADA);
    const delivery = await deliveryOf(api);
    const nonce = newNonce();
    const response = await apiClient(stack.appUrl).request('POST', `/api/plivo/status/${delivery}`, {
      raw: '{"ChannelStatus":"delivered"}',
      headers: {
        'Content-Type': 'application/json',
        'X-Plivo-Signature-V2': signatureV2(callbackUrl(delivery), nonce, AUTH_TOKEN),
        'X-Plivo-Signature-V2-Nonce': nonce,
      },
    });
    expect([response.status, response.body.error.code]).toEqual([400, 'invalid_request']);
  });
});

describe('a number nobody owns', () => {
  it("fails as members' texts fail once enough of theirs were learned, and sends nothing", async () => {
    await emulator.recipientRule({ recipient: '+44', failSms: '452' });
    for (let i = 0; i < 5; i++) {
      await resetLimits(stack.redisUrl, { keepDeliveries: true });
      expect((await statesUntilFinal(await started(ADA))).at(-1)).toEqual({ delivery: 'failed', reason: 'fraud_shield' });
    }
    const states = await statesUntilFinal(await started(STRANGER));
    expect(states.at(-1)).toEqual({ delivery: 'failed', reason: 'fraud_shield' });
    for (const state of states.slice(0, -1)) expect(['sending', 'sent']).toContain((state as { delivery: string }).delivery);
    expect(await emulator.sessions(STRANGER)).toEqual([]);
  });

  it("a voice resend, side by side with a member's: the same states, a call as long as theirs", async () => {
    const { member, stranger } = await voiceResendsSideBySide(stack, { pairs: 10, warmUp: 5 });
    const CHAIN = ['sending', 'sent', 'delivered'];
    for (const { states } of [...member, ...stranger]) expect(states).toEqual(CHAIN.filter((state) => states.includes(state)));
    const finals = (polled: Polled[]) => new Set(polled.map(({ states }) => states.at(-1)));
    expect(finals(stranger)).toEqual(finals(member));
    // The timing bench's measure, within about two and a half standard errors of 0.5 for ten pairs.
    for (const state of ['sent', 'delivered']) {
      const slower = probabilityGreater(timesTo(stranger, state), timesTo(member, state));
      expect(slower, `P(stranger slower) to ${state}`).toBeGreaterThan(0.15);
      expect(slower, `P(stranger slower) to ${state}`).toBeLessThan(0.85);
    }
    // And no stranger's call ends sooner or later than members' calls did, beyond a few polls.
    const ends = timesTo(member, 'delivered');
    for (const end of timesTo(stranger, 'delivered')) {
      expect(end).toBeGreaterThan(Math.min(...ends) - 500);
      expect(end).toBeLessThan(Math.max(...ends) + 500);
    }
  }, 240_000);

  it('without a pending code there is no delivery to ask about (409)', async () => {
    const nobody = await apiClient(stack.appUrl).get('/api/auth/delivery');
    expect([nobody.status, nobody.body.error.code]).toEqual([409, 'no_pending_verification']);
  });
});
