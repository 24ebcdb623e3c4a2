import { vi } from 'vitest';

import type { Passkey, PasskeyCredentialJson, UserProfile } from '@/lib/api-contract';
import { parseEnv } from '../env';
import { ApiError } from '../errors';
import { policyFromEnv } from '../sign-in-policy';
import { createAbuseGuards } from '../store/abuse';
import { createDeliveryReports } from '../store/delivery-reports';
import { createCodeLedger, createLimiter, createProviderRefusals } from '../store/limits';
import { createSharedRefresh } from '../store/refresh-sharing';
import { memoryStore } from '../store/shared-store';
import { createPacer } from './sms/pacing';
import type { PasskeySignInDeps, Passkeys } from './passkey/ports';
import type { CredentialStrategy, Directory, HeldCredential, SignedIn } from './ports';
import type { CheckResult, SmsSignInDeps, Verifier } from './sms/ports';
export const ADA: UserProfile = {
  id: 'user-ada',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '+447400123456',
};
export const IP = '203.0.113.7';

function profileOf({ id, first_name, last_name, email, phone }: UserProfile): UserProfile {
  return { id, first_name, last_name, email, phone };
}

/**
 * In-memory Directus (members and sessions) and Plivo ports that record every call, with the
 * real limiter, code ledger and shared refresh (over the memory store) and pacer. Time is Vitest's fake clock: move it with `advance(seconds)`.
 */
export function fakeDeps(
  overrides: {
    members?: UserProfile[];
    checkResult?: CheckResult;
    env?: Record<string, string>;
    /** false: a credential strategy without passkeys (`static`). */
    passkeys?: false;
  } = {},
) {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 27, 12) });
  const members = new Map((overrides.members ?? [ADA]).map((m) => [m.id, { ...m, active: true }]));
  const calls: string[] = [];
  /** The language of each code sent, in order. */
  const locales: string[] = [];
  const sleeps: number[] = [];
  let counter = 0;
  let uuids = 0;

  const directory: Directory = {
    async findActiveMemberByPhone(phone) {
      calls.push(`find ${phone}`);
      const holder = [...members.values()].find((m) => m.phone === phone);
      return holder?.active ? { member: { id: holder.id } } : { unclaimed: !holder };
    },
    decoyMemberId: () => `user-${String(++counter).padStart(3, '0')}`,
    async ping() {},
  };

  // Like Directus sessions: one per device, rotated on refresh, ended one by one or all but one;
  // each remembers how and when it was signed in, as the extension does.
  const sessions = new Map<string, { userId: string; userAgent: string | null; proof: 'sms' | 'passkey'; signedInAt: number }>();
  // Like the extension's passkeys and ceremonies: a fake answer names its passkey (`id`) and
  // carries the ceremony's challenge (`response.challenge`), which the fake checks in place of a signature.
  const passkeyRows = new Map<string, Passkey & { userId: string }>();
  const ceremonies = new Map<string, { purpose: 'sign_in' | 'register'; challenge: string; userId?: string }>();
  const summaryOf = ({ id, name, createdAt, lastUsedAt, backedUp }: Passkey): Passkey => ({ id, name, createdAt, lastUsedAt, backedUp });
  const RECENT_SIGN_IN_MS = 600_000;
  const answerOf = (response: PasskeyCredentialJson) => ({ id: response.id, challenge: response.response.challenge });
  /** The ceremony, used up, if this answer is to it. */
  const spendCeremony = (ceremony: string, purpose: 'sign_in' | 'register', response: PasskeyCredentialJson) => {
    const started = ceremonies.get(ceremony);
    ceremonies.delete(ceremony);
    return started?.purpose === purpose && started.challenge === answerOf(response).challenge ? started : undefined;
  };
  const startCeremony = (purpose: 'sign_in' | 'register', userId?: string) => {
    const ceremony = `ceremony-${++counter}`;
    const challenge = `challenge-${counter}`;
    ceremonies.set(ceremony, { purpose, challenge, userId });
    return { ceremony, options: { challenge } };
  };
  const sessionOf = (user: SignedIn) => {
    const session = sessions.get(tokenOf(user.credential));
    return session && members.get(session.userId)?.active ? session : undefined;
  };
  const tokenOf = (credential: HeldCredential) => credential.token;
  const sessionCredential = (token: string): HeldCredential => ({
    strategy: 'session',
    token,
    expiresAt: Date.now() + 3_600_000,
    refreshAt: Date.now() + 1_800_000,
  });
  const credentials: CredentialStrategy & { refreshes: number } = {
    refreshes: 0,
    authorization: (user) => `Bearer ${tokenOf(user.credential)}`,
    async issue({ proof, userAgent }) {
      if (proof.method === 'passkey') {
        calls.push('issue on a passkey');
        const passkey = spendCeremony(proof.ceremony, 'sign_in', proof.response) && passkeyRows.get(proof.response.id);
        const member = passkey ? members.get(passkey.userId) : undefined;
        if (!passkey || !member?.active) return undefined;
        passkey.lastUsedAt = new Date().toISOString();
        const token = `token-${++counter}`;
        sessions.set(token, { userId: member.id, userAgent, proof: 'passkey', signedInAt: Date.now() });
        return { user: profileOf(member), credential: sessionCredential(token) };
      }
      const { phone, memberId, signUp } = proof;
      calls.push(signUp ? `sign up ${phone}` : `issue ${memberId}`);
      if (signUp && ![...members.values()].some((m) => m.phone === phone)) {
        const id = `user-new-${++counter}`;
        members.set(id, {
          id,
          first_name: null,
          last_name: null,
          email: null,
          phone,
          active: true,
        });
      }
      const member = signUp ? [...members.values()].find((m) => m.phone === phone) : members.get(memberId);
      if (!member?.active) return undefined;
      const token = `token-${++counter}`;
      sessions.set(token, { userId: member.id, userAgent, proof: 'sms', signedInAt: Date.now() });
      return { user: profileOf(member), credential: sessionCredential(token) };
    },
    async readProfile(user) {
      const session = sessions.get(tokenOf(user.credential));
      const member = session && members.get(session.userId);
      return member?.active ? profileOf(member) : undefined;
    },
    async setFirstName(user, firstName) {
      const session = sessions.get(tokenOf(user.credential));
      const member = session && members.get(session.userId);
      if (!member?.active) return undefined;
      member.first_name = firstName;
      return profileOf(member);
    },
    async refresh(credential, { userAgent }) {
      credentials.refreshes++;
      const session = sessions.get(tokenOf(credential));
      if (!session) return undefined;
      sessions.delete(tokenOf(credential));
      const token = `token-${++counter}`;
      sessions.set(token, { ...session, userAgent });
      return sessionCredential(token);
    },
    async revoke(user) {
      calls.push(`revoke ${user.id}`);
      sessions.delete(tokenOf(user.credential));
    },
    devices: {
      async revokeOthers(user) {
        for (const [token, session] of sessions)
          if (session.userId === user.id && token !== tokenOf(user.credential)) sessions.delete(token);
      },
      async list(user) {
        return [...sessions]
          .filter(([, session]) => session.userId === user.id)
          .map(([token, session]) => ({
            id: token,
            userAgent: session.userAgent,
            signedInAt: null,
            lastActiveAt: null,
            current: token === tokenOf(user.credential),
          }));
      },
    },
  };

  const passkeys: Passkeys = {
    async signInOptions() {
      return startCeremony('sign_in');
    },
    async registerOptions(user) {
      const session = sessionOf(user);
      if (!session) return undefined;
      if (session.proof !== 'sms' || Date.now() - session.signedInAt > RECENT_SIGN_IN_MS) throw new ApiError('recent_sign_in_required');
      return startCeremony('register', session.userId);
    },
    async register(user, { ceremony, response, name }) {
      const session = sessionOf(user);
      if (!session) return undefined;
      const started = spendCeremony(ceremony, 'register', response);
      if (started?.userId !== session.userId || passkeyRows.has(response.id)) throw new ApiError('passkey_not_added');
      const passkey = { id: response.id, name: name ?? 'Passkey', createdAt: new Date().toISOString(), lastUsedAt: null, backedUp: false };
      passkeyRows.set(response.id, { ...passkey, userId: session.userId });
      return passkey;
    },
    async list(user) {
      const session = sessionOf(user);
      return session && [...passkeyRows.values()].filter((p) => p.userId === session.userId).map(summaryOf);
    },
    async rename(user, id, name) {
      const session = sessionOf(user);
      if (!session) return undefined;
      const row = passkeyRows.get(id);
      if (row?.userId !== session.userId) throw new ApiError('passkey_not_found');
      row.name = name;
      return summaryOf(row);
    },
    async remove(user, id) {
      const session = sessionOf(user);
      if (!session) return undefined;
      return passkeyRows.get(id)?.userId === session.userId && passkeyRows.delete(id);
    },
  };

  const env = parseEnv({
    NODE_ENV: 'test',
    SESSION_MAX_AGE_SECONDS: '86400',
    ...overrides.env,
  });
  const store = memoryStore();
  // Like Plivo: one session per number while its code lives and is not yet verified.
  const plivoSessions = new Map<string, { uuid: string; startedAt: number; verified: boolean }>();
  let plivoCounter = 0;
  const verifier: Verifier & { checkResult: CheckResult } = {
    checkResult: overrides.checkResult ?? 'verified',
    async sendCode(recipient, channel, locale) {
      calls.push(`send ${recipient} ${channel}`);
      locales.push(locale);
      const live = plivoSessions.get(recipient);
      if (!live || live.verified || Date.now() - live.startedAt >= env.OTP_EXPIRY_SECONDS * 1000) {
        plivoSessions.set(recipient, {
          uuid: `plivo-session-${++plivoCounter}`,
          startedAt: Date.now(),
          verified: false,
        });
      }
      vi.advanceTimersByTime(40); // a real send takes a while; the decoy path must match it
      return { codeId: plivoSessions.get(recipient)!.uuid };
    },
    reportsDelivery: () => true,
    async checkCode(codeId, code) {
      calls.push(`check ${codeId} ${code}`);
      vi.advanceTimersByTime(30);
      if (verifier.checkResult === 'verified') {
        for (const session of plivoSessions.values()) if (session.uuid === codeId) session.verified = true;
      }
      return verifier.checkResult;
    },
    async ping() {},
  };

  const deps: SmsSignInDeps & PasskeySignInDeps = {
    directory,
    verifier,
    credentials,
    limiter: createLimiter(env, store),
    codes: createCodeLedger(env, store),
    providerRefusals: createProviderRefusals(env, store),
    refreshes: createSharedRefresh(env, store),
    deliveries: createDeliveryReports(env, store),
    pacer: createPacer({
      coldStartMs: 250,
      now: () => Date.now(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
    abuse: createAbuseGuards(env, store),
    passkeys: overrides.passkeys === false ? undefined : passkeys,
    clock: { now: () => Date.now() },
    // Its own counter, so that delivery names do not shift the tokens and ids the tests expect.
    random: {
      uuid: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}`,
    },
    policy: policyFromEnv(env),
  };
  return {
    deps,
    calls,
    locales,
    sleeps,
    members,
    sessions,
    credentials,
    passkeyRows,
    ceremonies,
    verifier,
    advance: (seconds: number) => vi.advanceTimersByTime(seconds * 1000),
  };
}

/** The ApiError a use-case refused with (any other outcome fails the test). */
export async function rejection(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}
