import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { BotCheckChallenge, UserProfile } from '@/lib/api-contract';
import { ApiError } from '../../errors';
import { ADA, fakeDeps, IP } from '../fakes.test-support';
import type { SessionData } from '../ports';
import { resendCode } from '../sms/resend';
import { startSignIn } from '../sms/start';
import { verifyCode } from '../sms/verify';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Fake = ReturnType<typeof fakeDeps>;
const GASTON: UserProfile = {
  id: 'user-gaston',
  first_name: 'Gaston',
  last_name: null,
  email: null,
  phone: '+33612345678',
};
/** Fresh numbers in ADA's prefix (+44 7400 1…), nobody's. */
const fresh = (i: number) => `+4474001${String(50_000 + i).padStart(5, '0')}`;
const OPEN = {
  SIGN_UP: 'open',
  LIMIT_SENDS_PER_IP_HOUR: '1000',
  BOT_CHECK_WORK: '4',
};

const start = (fake: Fake, phone: string, botCheck?: string, ip = IP) => startSignIn(fake.deps, {}, { phone, ip, botCheck });
const verify = (fake: Fake, session: SessionData) =>
  verifyCode(fake.deps, session, {
    code: '123456',
    ip: IP,
    userAgent: 'TestBrowser/1.0',
  });

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** Solves a challenge the way the browser does, and encodes it as the API takes it. */
async function solve(challenge: BotCheckChallenge | undefined): Promise<string> {
  const solution = await solveChallenge({ challenge: challenge!, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64url');
}

describe('the proof-of-work check', () => {
  it('BOT_CHECK=always: a start without a solution is refused with a challenge, sends nothing and spends no limit', async () => {
    const fake = fakeDeps({ env: { ...OPEN, BOT_CHECK: 'always' } });
    const error = await refusal(start(fake, ADA.phone!));
    expect(error.code).toBe('bot_check_required');
    expect(error.status).toBe(428);
    expect(error.extra.botCheck?.parameters).toMatchObject({
      algorithm: 'PBKDF2/SHA-256',
      data: { level: 'standard', work: 4 },
    });
    expect(fake.calls).toEqual([]);

    const { body } = await start(fake, ADA.phone!, await solve(error.extra.botCheck));
    expect(body.status).toBe('code_sent');
  });

  it('refuses wrong, tampered, expired, replayed and under-difficulty solutions, each with its code and a fresh challenge', async () => {
    const fake = fakeDeps({ env: { ...OPEN, BOT_CHECK: 'always' } });
    const { extra } = await refusal(start(fake, ADA.phone!));
    const good = await solve(extra.botCheck);
    const payload = JSON.parse(Buffer.from(good, 'base64url').toString()) as {
      solution: { derivedKey: string };
    };
    const wrong = Buffer.from(
      JSON.stringify({
        ...payload,
        solution: { ...payload.solution, derivedKey: '00'.repeat(32) },
      }),
    ).toString('base64url');
    const cheaper = {
      ...extra.botCheck!,
      parameters: {
        ...extra.botCheck!.parameters,
        data: { level: 'standard', work: 1 },
      },
    };

    for (const [solution, code] of [
      ['not base64 json', 'bot_check_invalid'],
      [wrong, 'bot_check_invalid'],
      [await solve(cheaper), 'bot_check_invalid'],
    ] as const) {
      const error = await refusal(start(fake, ADA.phone!, solution));
      expect([error.code, error.extra.botCheck?.signature]).toEqual([code, expect.any(String)]);
    }
    expect(fake.calls).toEqual([]);

    await start(fake, ADA.phone!, good);
    fake.advance(60);
    expect((await refusal(start(fake, ADA.phone!, good))).code).toBe('bot_check_replayed');

    const late = await solve((await refusal(start(fake, fresh(1)))).extra.botCheck);
    fake.advance(301);
    expect((await refusal(start(fake, fresh(1), late))).code).toBe('bot_check_expired');

    // Signed by the same secret, but for less work than this deployment asks.
    const easy = fakeDeps({
      env: { ...OPEN, BOT_CHECK: 'always', BOT_CHECK_WORK: '2' },
    });
    const easyChallenge = (await refusal(start(easy, ADA.phone!))).extra.botCheck;
    const harder = fakeDeps({ env: { ...OPEN, BOT_CHECK: 'always' } });
    const tooEasy = await refusal(start(harder, ADA.phone!, await solve(easyChallenge)));
    expect([tooEasy.code, tooEasy.status]).toEqual(['bot_check_too_easy', 400]);
  });

  it('BOT_CHECK=auto (the default with SIGN_UP=open): asks a client address past its free sends, and nobody else', async () => {
    const fake = fakeDeps({ env: OPEN });
    for (let i = 0; i < 3; i++) await start(fake, fresh(i));
    const error = await refusal(start(fake, fresh(3)));
    expect(error.code).toBe('bot_check_required');
    expect((await start(fake, fresh(3), undefined, '198.51.100.9')).body.status).toBe('code_sent');
    expect((await start(fake, fresh(4), await solve(error.extra.botCheck))).body.status).toBe('code_sent');
  });

  it('is off with SIGN_UP closed, unless asked for', async () => {
    const fake = fakeDeps({ env: { LIMIT_SENDS_PER_IP_HOUR: '1000' } });
    for (let i = 0; i < 6; i++) await start(fake, fresh(i));
    const always = fakeDeps({ env: { BOT_CHECK: 'always' } });
    expect((await refusal(start(always, ADA.phone!))).code).toBe('bot_check_required');
  });

  it('asks on a resend too with BOT_CHECK=always', async () => {
    const fake = fakeDeps({
      env: { ...OPEN, BOT_CHECK: 'always', OTP_RESEND_AFTER_SECONDS: '0' },
    });
    const { extra } = await refusal(start(fake, ADA.phone!));
    const { session } = await start(fake, ADA.phone!, await solve(extra.botCheck));
    const again = await refusal(resendCode(fake.deps, session, { channel: 'sms', ip: IP }));
    expect(again.code).toBe('bot_check_required');
    const { body } = await resendCode(fake.deps, session, {
      channel: 'sms',
      ip: IP,
      botCheck: await solve(again.extra.botCheck),
    });
    expect(body.status).toBe('code_sent');
  });
});

describe('the conversion breaker (SIGN_UP=open)', () => {
  const BREAKER = { ...OPEN, BOT_CHECK: 'off' };

  it('pauses a prefix whose codes are never used after BREAKER_PAUSE_AFTER_SENDS sends, refusing members and strangers alike, and logs the trip once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fake = fakeDeps({ members: [ADA, GASTON], env: BREAKER });
    for (let i = 0; i < 20; i++) await start(fake, fresh(i));
    const sends = fake.calls.filter((call) => call.startsWith('send')).length;
    expect(sends).toBe(20);

    const stranger = await refusal(start(fake, fresh(20)));
    const member = await refusal(start(fake, ADA.phone!));
    expect([stranger.code, stranger.status, stranger.extra.retryAfter]).toEqual(['country_paused', 503, 3600]);
    expect([member.code, member.status, member.extra]).toEqual([stranger.code, stranger.status, stranger.extra]);
    expect(fake.calls.filter((call) => call.startsWith('send'))).toHaveLength(sends);
    expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
      expect.objectContaining({
        event: 'breaker_trip',
        route: 'prefix',
        digits: '4474001',
        sends: 20,
        verified: 0,
      }),
    ]);

    // A member in another country still signs in.
    const { session } = await start(fake, GASTON.phone!);
    expect((await verify(fake, session)).body.status).toBe('signed_in');
  });

  it('first asks the seldom-used prefix for the raised check (with BOT_CHECK=auto)', async () => {
    const fake = fakeDeps({ env: OPEN });
    for (let i = 0; i < 10; i++) await start(fake, fresh(i), undefined, `203.0.113.${i}`);
    const error = await refusal(start(fake, fresh(10), undefined, '198.51.100.1'));
    expect([error.code, error.extra.botCheck?.parameters.data]).toEqual(['bot_check_required', { level: 'raised', work: 16 }]);
  });

  it('leaves a prefix whose codes are used alone, and recovers a paused one after the cool-down, logging it once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fake = fakeDeps({ env: BREAKER });
    for (let i = 0; i < 30; i++) await verify(fake, (await start(fake, fresh(i))).session);
    expect(warn).not.toHaveBeenCalled();

    const pumped = fakeDeps({
      env: { ...BREAKER, BREAKER_COOLDOWN_MINUTES: '10' },
    });
    for (let i = 0; i < 20; i++) await start(pumped, fresh(i));
    await refusal(start(pumped, fresh(20)));
    pumped.advance(601);
    await start(pumped, fresh(21));
    await start(pumped, fresh(22));
    expect(warn.mock.calls.map(([line]) => JSON.parse(line as string).event)).toEqual(['breaker_trip', 'breaker_recovery']);
  });
});
