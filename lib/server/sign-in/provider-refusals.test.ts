import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, DeliveryCapReached } from '../errors';
import { PROVIDER_REFUSAL_SECONDS } from '../rate-limits';
import { fakeDeps, IP } from './fakes.test-support';
import { resendCode } from './resend';
import { startSignIn } from './start';
import { verifyCode } from './verify';

afterEach(() => {
  vi.useRealTimers();
});

const MEMBER = '+447400123456';
const STRANGER = '+447400999888';

type Fake = ReturnType<typeof fakeDeps>;
const start = (fake: Fake, phone: string) => startSignIn(fake.deps, {}, { phone, ip: IP });

/** What the person gets: the body of the answer or of the refusal. */
async function answer(work: Promise<{ body: unknown }>) {
  return work.then(
    (outcome) => ({ status: 200, body: outcome.body as Record<string, unknown> }),
    (error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      return { status: error.status, body: error.toBody() as unknown as Record<string, unknown> };
    },
  );
}

/** Plivo refusing every create with `error`, after `ms`, until `recover()`. */
function failSends(fake: Fake, error: () => ApiError, ms = 120) {
  const real = fake.verifier.sendCode;
  fake.verifier.sendCode = async () => {
    fake.advance(ms / 1000);
    throw error();
  };
  return {
    recover: () => {
      fake.verifier.sendCode = real;
    },
  };
}

describe('refusals by the provider that hold for everyone', () => {
  it('an outage refuses a number nobody owns as it refuses a member, after as long, and both recover together', async () => {
    const fake = fakeDeps();
    const plivo = failSends(fake, () => new ApiError('upstream_unavailable'));
    const member = await answer(start(fake, MEMBER));
    const stranger = await answer(start(fake, STRANGER));
    expect(member.status).toBe(503);
    expect(stranger).toEqual(member);
    expect(fake.sleeps).toEqual([120]); // the stranger waited as long as the member's failing call

    plivo.recover();
    fake.advance(30); // the resend cooldown
    expect((await answer(start(fake, MEMBER))).status).toBe(200); // members keep trying, and end the outage
    expect((await answer(start(fake, STRANGER))).status).toBe(200);
  });

  it("is believed for 30 s without a member's call to end it", async () => {
    const fake = fakeDeps();
    const plivo = failSends(fake, () => new ApiError('upstream_unavailable'));
    await answer(start(fake, MEMBER));
    plivo.recover();
    fake.advance(PROVIDER_REFUSAL_SECONDS.everyone - 1);
    expect((await answer(start(fake, STRANGER))).status).toBe(503);
    fake.advance(1);
    expect((await answer(start(fake, '+447400999777'))).status).toBe(200);
  });

  it("Plivo's own rate limit refuses strangers alike, with the same retryAfter", async () => {
    const fake = fakeDeps();
    failSends(fake, () => new ApiError('rate_limited', { retryAfter: 60 }));
    const member = await answer(start(fake, MEMBER));
    expect(member).toMatchObject({ status: 429, body: { error: { code: 'rate_limited', retryAfter: 60 } } });
    expect(await answer(start(fake, STRANGER))).toEqual(member);
  });

  it("a failing check refuses strangers' checks too, giving both their try back", async () => {
    const fake = fakeDeps();
    const member = await start(fake, MEMBER);
    const stranger = await start(fake, STRANGER);
    fake.verifier.checkCode = async () => {
      fake.advance(0.05);
      throw new ApiError('upstream_unavailable');
    };
    const verify = (session: typeof member.session) => answer(verifyCode(fake.deps, session, { code: '123456', ip: IP, userAgent: null }));
    const failed = await verify(member.session);
    expect(failed.status).toBe(503);
    expect(await verify(stranger.session)).toEqual(failed);
    expect(fake.sleeps.at(-1)).toBe(50);
    expect(await fake.deps.limiter.remaining(['attemptsPerCodeAndClient', `${stranger.session.pending!.sessionUuid} ${IP}`])).toBe(5);
  });
});

describe('refusals by the provider about one number or country', () => {
  it('a geo refusal is remembered for that country only', async () => {
    const fake = fakeDeps();
    failSends(fake, () => new ApiError('country_not_allowed'));
    const member = await answer(start(fake, MEMBER));
    expect(member).toMatchObject({ status: 403, body: { error: { code: 'country_not_allowed' } } });
    expect(await answer(start(fake, STRANGER))).toEqual(member);
    expect((await answer(start(fake, '+353851234567'))).status).toBe(200); // Ireland
  });

  it('an invalid number or a delivery cap is about that number, so nobody else is refused for it', async () => {
    const fake = fakeDeps();
    failSends(fake, () => new ApiError('invalid_phone'));
    expect((await answer(start(fake, MEMBER))).status).toBe(400);
    expect((await answer(start(fake, STRANGER))).status).toBe(200);
    failSends(fake, () => new DeliveryCapReached());
    expect((await answer(start(fake, '+447400111222'))).status).toBe(200); // a stranger
  });

  it("a delivery cap waits until Plivo's session for the number ends", async () => {
    const fake = fakeDeps();
    const { session } = await start(fake, MEMBER);
    fake.advance(100);
    failSends(fake, () => new DeliveryCapReached());
    const refused = await answer(resendCode(fake.deps, session, { channel: 'sms', ip: IP }));
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'rate_limited', retryAfter: 500 } } });
  });
});
