import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../errors';
import { deliveryStatus, recordDeliveryReport } from './delivery-status';
import { fakeDeps, IP } from './fakes.test-support';
import type { DeliveryRoute, DeliveryState, SessionData } from './ports';
import { resendCode } from './resend';
import { startSignIn } from './start';

afterEach(() => {
  vi.useRealTimers();
});

type Fake = ReturnType<typeof fakeDeps>;
const STRANGER = '07400 999888';

async function started(fake: Fake, phone = '07400 123456') {
  return (await startSignIn(fake.deps, {}, { phone, country: 'GB', ip: IP })).session;
}

let nonces = 0;
const report = (fake: Fake, session: SessionData, state: DeliveryState | undefined, nonce = `nonce${++nonces}`) =>
  recordDeliveryReport(fake.deps, { delivery: session.pending!.delivery!, nonce, state });

async function refusal(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error.code;
}

describe("a member's delivery", () => {
  it("starts as sending and follows Plivo's reports", async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    expect(await deliveryStatus(fake.deps, session)).toEqual({ delivery: 'sending' });
    expect(await report(fake, session, { state: 'sent' })).toBe('recorded');
    expect(await deliveryStatus(fake.deps, session)).toEqual({ delivery: 'sent' });
    expect(await report(fake, session, { state: 'delivered' })).toBe('recorded');
    expect(await deliveryStatus(fake.deps, session)).toEqual({ delivery: 'delivered' });
  });

  it('never goes back: a late sent, or a failure after delivered, changes nothing', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    await report(fake, session, { state: 'delivered' });
    expect(await report(fake, session, { state: 'sent' })).toBe('kept');
    expect(await report(fake, session, { state: 'sending' })).toBe('kept');
    expect(await report(fake, session, { state: 'failed', reason: 'undelivered' })).toBe('kept');
    expect(await deliveryStatus(fake.deps, session)).toEqual({ delivery: 'delivered' });
  });

  it('reports a failure with its reason, and a resend is a delivery of its own', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    await report(fake, session, { state: 'failed', reason: 'fraud_shield' });
    expect(await deliveryStatus(fake.deps, session)).toEqual({ delivery: 'failed', reason: 'fraud_shield' });
    fake.advance(30);
    const { session: resent } = await resendCode(fake.deps, session, { channel: 'voice', ip: IP });
    expect(resent.pending!.delivery).not.toBe(session.pending!.delivery);
    expect(await deliveryStatus(fake.deps, resent)).toEqual({ delivery: 'sending' });
    await report(fake, resent, { state: 'delivered' });
    expect(await deliveryStatus(fake.deps, resent)).toEqual({ delivery: 'delivered' });
  });

  it('refuses a replayed nonce, and reports on a delivery that is over or unknown', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    await report(fake, session, { state: 'sent' }, 'same-nonce');
    expect(await refusal(report(fake, session, { state: 'delivered' }, 'same-nonce'))).toBe('callback_replayed');
    expect(await refusal(recordDeliveryReport(fake.deps, { delivery: 'never-ours', nonce: 'n-1', state: { state: 'sent' } }))).toBe(
      'callback_stale',
    );
    expect(await report(fake, session, undefined)).toBe('kept'); // the session verified or expired: nothing to show
    fake.advance(601);
    expect(await refusal(report(fake, session, { state: 'delivered' }))).toBe('callback_stale');
    expect(await refusal(report(fake, session, undefined))).toBe('callback_stale');
  });

  it('has no status once the code is dead, or without a pending code', async () => {
    const fake = fakeDeps();
    const session = await started(fake);
    expect(await refusal(deliveryStatus(fake.deps, {}))).toBe('no_pending_verification');
    fake.advance(600);
    expect(await refusal(deliveryStatus(fake.deps, session))).toBe('no_pending_verification');
  });
});

describe('a number nobody owns', () => {
  it("takes no reports, and its call instead follows members' calls, not their texts", async () => {
    const fake = fakeDeps();
    const learn = async (delivery: string, route: DeliveryRoute, sentMs: number, deliveredMs: number) => {
      await fake.deps.deliveries.expect(delivery, 'reported', route);
      fake.advance(sentMs / 1000);
      await fake.deps.deliveries.report(delivery, { state: 'sent' });
      fake.advance((deliveredMs - sentMs) / 1000);
      await fake.deps.deliveries.report(delivery, { state: 'delivered' });
    };
    for (let i = 0; i < 5; i++) await learn(`a-members-call-${i}`, { channel: 'voice', country: 'GB' }, 1_500, 20_000);
    for (let i = 0; i < 5; i++) await learn(`a-members-text-${i}`, { channel: 'sms', country: 'GB' }, 250, 1_000);

    const stranger = await started(fake, STRANGER);
    expect(await refusal(report(fake, stranger, { state: 'failed', reason: 'undelivered' }))).toBe('callback_stale');
    fake.advance(30);
    const { session: calling } = await resendCode(fake.deps, stranger, { channel: 'voice', ip: IP });
    const states: string[] = [];
    for (let tenth = 0; tenth <= 200; tenth += 1) {
      states.push((await deliveryStatus(fake.deps, calling)).delivery);
      fake.advance(0.1);
    }
    // Sent after the calls' 1.5 s (less the resend's own pacing), delivered after their 20 s.
    expect(states.slice(0, 10)).toEqual(Array(10).fill('sending'));
    expect(states.slice(15, 199)).toEqual(Array(184).fill('sent'));
    expect(states.at(-1)).toBe('delivered');
  });
});

describe('without delivery reports (APP_URL that real Plivo cannot reach)', () => {
  it("everyone's delivery is unknown", async () => {
    const fake = fakeDeps({ env: { PLIVO_AUTH_ID: 'MA1', PLIVO_AUTH_TOKEN: 't', APP_URL: 'http://localhost:3000' } });
    expect(await deliveryStatus(fake.deps, await started(fake))).toEqual({ delivery: 'unknown' });
    expect(await deliveryStatus(fake.deps, await started(fake, STRANGER))).toEqual({ delivery: 'unknown' });
  });
});
