import type { UserProfile } from '@/lib/api-contract';
import type { SignInDeps } from './context';
import { DEFAULT_POLICY } from './policy';
import type { CheckResult, Directory, Verifier } from './ports';

export const ADA: UserProfile = { id: 'user-ada', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '+447400123456' };

/** In-memory ports with a manual clock; every call is recorded for assertions. */
export function fakeDeps(overrides: { members?: UserProfile[]; checkResult?: CheckResult } = {}) {
  const members = new Map((overrides.members ?? [ADA]).map((m) => [m.id, { ...m, otp: null as string | null, token: null as string | null }]));
  const calls: string[] = [];
  let time = Date.UTC(2026, 10, 27, 12);
  let counter = 0;

  const directory: Directory = {
    async findActiveMemberByPhone(phone) {
      calls.push(`find ${phone}`);
      const member = [...members.values()].find((m) => m.phone === phone);
      return member ? { id: member.id } : undefined;
    },
    async setOtpSession(userId, sessionUuid) {
      calls.push(`setOtp ${userId} ${sessionUuid}`);
      members.get(userId)!.otp = sessionUuid;
    },
    async issueToken(userId, sessionUuid, token) {
      calls.push(`issue ${userId} ${sessionUuid}`);
      const member = members.get(userId);
      if (!member || member.otp !== sessionUuid) return undefined;
      member.otp = null;
      member.token = token;
      const { otp: _otp, token: _token, ...profile } = member;
      return profile;
    },
    async readProfile(token) {
      const member = [...members.values()].find((m) => m.token === token);
      if (!member) return undefined;
      const { otp: _otp, token: _token, ...profile } = member;
      return profile;
    },
    async revokeToken(userId) {
      calls.push(`revoke ${userId}`);
      members.get(userId)!.token = null;
    },
    async ping() {},
  };

  const verifier: Verifier & { checkResult: CheckResult } = {
    checkResult: overrides.checkResult ?? 'verified',
    async sendCode(recipient, channel) {
      calls.push(`send ${recipient} ${channel}`);
      return { sessionUuid: 'plivo-session-1' };
    },
    async checkCode(sessionUuid, code) {
      calls.push(`check ${sessionUuid} ${code}`);
      return verifier.checkResult;
    },
    async ping() {},
  };

  const deps: SignInDeps = {
    directory,
    verifier,
    clock: { now: () => time },
    random: { token: () => `token-${++counter}`, uuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` },
    policy: { ...DEFAULT_POLICY, sessionMaxAgeSeconds: 3600 },
  };
  return { deps, calls, members, verifier, advance: (seconds: number) => (time += seconds * 1000) };
}
