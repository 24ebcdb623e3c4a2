import { vi } from 'vitest';

import type { UserProfile } from '@/lib/api-contract';
import { parseEnv } from '../env';
import { createSignInStore } from '../rate-limits';
import type { SignInDeps } from './context';
import { createPacer } from './pacing';
import { HOME_PATH } from './policy';
import type { CheckResult, Directory, Verifier } from './ports';

export const ADA: UserProfile = { id: 'user-ada', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '+447400123456' };
export const IP = '203.0.113.7';

function profileOf({ id, first_name, last_name, email, phone }: UserProfile): UserProfile {
  return { id, first_name, last_name, email, phone };
}

/**
 * In-memory Directus and Plivo ports that record every call, with the real limiter (in memory)
 * and pacer. Time is Vitest's fake clock: move it with `advance(seconds)`.
 */
export function fakeDeps(overrides: { members?: UserProfile[]; checkResult?: CheckResult; env?: Record<string, string> } = {}) {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12) });
  const members = new Map((overrides.members ?? [ADA]).map((m) => [m.id, { ...m, token: null as string | null }]));
  const calls: string[] = [];
  const sleeps: number[] = [];
  let counter = 0;

  const directory: Directory = {
    async findActiveMemberByPhone(phone) {
      calls.push(`find ${phone}`);
      const member = [...members.values()].find((m) => m.phone === phone);
      return member ? { id: member.id } : undefined;
    },
    async issueToken(userId, token) {
      calls.push(`issue ${userId}`);
      const member = members.get(userId);
      if (!member) return undefined;
      member.token = token;
      return profileOf(member);
    },
    async readProfile(token) {
      const member = [...members.values()].find((m) => m.token === token);
      return member && profileOf(member);
    },
    async revokeToken(userId, token) {
      calls.push(`revoke ${userId}`);
      const member = members.get(userId)!;
      if (member.token === token) member.token = null;
    },
    async sweepExpiredTokens() {
      return 0;
    },
    async ping() {},
  };

  const env = parseEnv({ NODE_ENV: 'test', ...overrides.env });
  // Like Plivo: one session per number while its code lives and is not yet verified.
  const plivoSessions = new Map<string, { uuid: string; startedAt: number; verified: boolean }>();
  let plivoCounter = 0;
  const verifier: Verifier & { checkResult: CheckResult } = {
    checkResult: overrides.checkResult ?? 'verified',
    async sendCode(recipient, channel) {
      calls.push(`send ${recipient} ${channel}`);
      const live = plivoSessions.get(recipient);
      if (!live || live.verified || Date.now() - live.startedAt >= env.OTP_EXPIRY_SECONDS * 1000) {
        plivoSessions.set(recipient, { uuid: `plivo-session-${++plivoCounter}`, startedAt: Date.now(), verified: false });
      }
      vi.advanceTimersByTime(40); // a real send takes a while; the decoy path must match it
      return { sessionUuid: plivoSessions.get(recipient)!.uuid };
    },
    async checkCode(sessionUuid, code) {
      calls.push(`check ${sessionUuid} ${code}`);
      vi.advanceTimersByTime(30);
      if (verifier.checkResult === 'verified') {
        for (const session of plivoSessions.values()) if (session.uuid === sessionUuid) session.verified = true;
      }
      return verifier.checkResult;
    },
    async ping() {},
  };

  const deps: SignInDeps = {
    directory,
    verifier,
    ...createSignInStore(env),
    pacer: createPacer({
      coldStartMs: 250,
      now: () => Date.now(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
    clock: { now: () => Date.now() },
    random: { token: () => `token-${++counter}`, uuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` },
    policy: {
      codeTtlSeconds: env.OTP_EXPIRY_SECONDS,
      resendAfterSeconds: env.OTP_RESEND_AFTER_SECONDS,
      sessionMaxAgeSeconds: 3600,
      homePath: HOME_PATH,
      allowedCountries: env.ALLOWED_COUNTRIES,
      allowedNumberTypes: env.ALLOWED_NUMBER_TYPES,
    },
  };
  return { deps, calls, sleeps, members, verifier, advance: (seconds: number) => vi.advanceTimersByTime(seconds * 1000) };
}
