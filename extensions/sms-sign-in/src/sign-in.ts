// The two routes the app calls with its key: lookup (is this an active member?) and issue
// (Plivo says this phone typed a fresh code: give that member a Directus session).
import type { Knex } from 'knex';
import type { SignInConfig } from './config';
import { openSession, recordLogin, signAccessToken } from './directus-session';
import { SignInError } from './errors';
import type { IssueInput, LookupInput } from './input';
import { maskPhone, shortUuid } from './log-safe';
import { judgeUserRow, profileOf, type MemberProfile, type UserRow } from './member-rules';
import { createMember, findMember, findUserByPhone, memberRef } from './members';
import { fetchVerifySession } from './plivo-client';
import { judgeProof } from './proof-decision';
import { forgetEndedSessions } from './issued-sessions';
import { claimProof, forgetOldProofs, isClaimed } from './used-proofs';

type LogFn = (message: string) => void;
export interface Log {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SignInDeps {
  database: Knex;
  config: SignInConfig;
  logger: Log;
}

export interface IssueResult {
  access_token: string;
  /** ms, as Directus answers it on /auth/refresh. */
  expires: number;
  expires_at: string;
  member: MemberProfile;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;
let lastPrune = 0;

/**
 * `unclaimed`: no user at all holds this phone and sign-up is on here, so the app may sign a
 * newcomer up with it (with sign-up off here, the app sends such a number nothing).
 */
export async function lookup(deps: SignInDeps, input: LookupInput): Promise<{ member: string | null; unclaimed: boolean }> {
  const found = await findMember(deps.database, input.phone, deps.config.memberRoles);
  if ('user' in found) return { member: memberRef(deps.config.appKey, found.user.id), unclaimed: false };
  return { member: null, unclaimed: found.refusal === 'no_user' && deps.config.signUpRole !== null };
}

/** Whether `ref` is what lookup answered for this user, under the key or, during a rotation, the previous one. */
function isRefOf(deps: SignInDeps, ref: string, userId: string): boolean {
  const { appKey, previousAppKey } = deps.config;
  return ref === memberRef(appKey, userId) || (previousAppKey !== null && ref === memberRef(previousAppKey, userId));
}

/** Refuses with the one generic error, logging why (masked) for whoever runs Directus. */
function refuse(deps: SignInDeps, input: IssueInput, reason: string): never {
  deps.logger.info(
    `sms-sign-in: issue refused (${reason}) for ${maskPhone(input.phone)}, Plivo session ${shortUuid(input.plivoSessionUuid)}`,
  );
  throw new SignInError('refused');
}

/** Why Plivo's word does not prove this sign-in, or null when it does; throws when Plivo cannot be asked. */
async function proofRefusal(deps: SignInDeps, input: IssueInput): Promise<string | null> {
  const plivo = deps.config.plivo;
  if (!plivo) return null; // SMS_SIGN_IN_PLIVO_PROOF=off, warned about at start
  // A test number (warned about at start): the app checked its fixed code; Plivo has no session.
  if (deps.config.testPhones.has(input.phone)) return null;
  const { session } = await fetchVerifySession(plivo, input.plivoSessionUuid);
  if (session === null) return 'unknown_plivo_session';
  return judgeProof(session, {
    phone: input.phone,
    appUuid: plivo.appUuid,
    lifetimeSeconds: deps.config.codeLifetimeSeconds,
    now: Date.now(),
  });
}

export async function issue(deps: SignInDeps, input: IssueInput, origin: string | null): Promise<IssueResult> {
  // Plivo is asked while the member is looked up (a read each, a round trip less to wait for);
  // the member's refusals still come first, and Plivo's failures after them.
  const [found, proof] = await Promise.all([
    findMember(deps.database, input.phone, deps.config.memberRoles),
    proofRefusal(deps, input).then(
      (refusal) => ({ refusal }),
      (error: unknown) => ({ error }),
    ),
  ]);
  // A phone no user holds at all may become a member, when the app asks and Directus allows it.
  const newcomer = !('user' in found) && found.refusal === 'no_user' && input.signUp;
  if (newcomer && !deps.config.signUpRole) refuse(deps, input, 'sign_up_off');
  if (!('user' in found) && !newcomer) refuse(deps, input, found.refusal);
  if ('user' in found && input.member !== null && !isRefOf(deps, input.member, found.user.id)) refuse(deps, input, 'other_member');

  // Proof before claiming the uuid: a caller with the key alone must not be able to burn
  // someone's pending verification by claiming its uuid before the code is typed. Proof before
  // creating a member, too: only a phone Plivo has seen verified becomes one.
  if ('error' in proof) throw proof.error;
  if (proof.refusal) refuse(deps, input, proof.refusal);
  const client = { ip: input.ip, userAgent: input.userAgent, origin };
  const now = Date.now();
  // One commit (each is an fsync on SQLite): the claim, the member (a newcomer's, or the member
  // read again, as Directus re-reads a session's user), the session and the login entry. A used
  // uuid or a member changed meanwhile rolls it all back, so a used proof creates nobody.
  const { user, session } = await deps.database
    .transaction(async (database) => {
      await claimProof(database, input.plivoSessionUuid);
      const member = newcomer
        ? await signUp(deps, database, input, deps.config.signUpRole!)
        : await memberStill(deps, database, input, found);
      const token = await openSession(database, member.id, client, deps.config.session.ttlMs, now, 'sms');
      await recordLogin(database, member.id, client);
      return { user: member, session: token };
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof SignInError) && (await isClaimed(deps.database, input.plivoSessionUuid)))
        refuse(deps, input, 'plivo_session_used');
      throw error;
    });
  await pruneUsedProofs(deps);
  deps.logger.info(`sms-sign-in: signed in ${maskPhone(input.phone)}`);
  return {
    access_token: signAccessToken(deps.config.session, { id: user.id, role: user.role, session }, now),
    expires: deps.config.session.ttlMs,
    expires_at: new Date(now + deps.config.session.ttlMs).toISOString(),
    member: profileOf(user),
  };
}

/**
 * The member found before the commit, read again in it: still holding the phone, still passing the
 * rules of the row (a concurrent sign-in, sign-up or suspension changes those). The policy check
 * of that first read stands: policies change only by an administrator's hand, and not in the
 * milliseconds between the two reads (two queries less in the one commit).
 */
async function memberStill(
  deps: SignInDeps,
  database: Knex,
  input: IssueInput,
  before: Awaited<ReturnType<typeof findMember>>,
): Promise<UserRow> {
  const user = await findUserByPhone(database, input.phone);
  const refusal = judgeUserRow(user, deps.config.memberRoles);
  if (refusal) refuse(deps, input, refusal);
  if (!('user' in before) || before.user.id !== user!.id) refuse(deps, input, 'other_member');
  if (before.user.role !== user!.role) refuse(deps, input, 'role_changed');
  return user!;
}

/**
 * Creates the member, or finds the one a concurrent sign-up for this number created. Should the
 * sign-in then fail, the transaction takes the member back with it.
 */
async function signUp(deps: SignInDeps, database: Knex, input: IssueInput, role: string): Promise<UserRow> {
  await createMember(database, input.phone, role);
  const found = await findMember(database, input.phone, deps.config.memberRoles);
  if (!('user' in found)) refuse(deps, input, found.refusal);
  deps.logger.info(`sms-sign-in: signed up ${maskPhone(input.phone)}`);
  return found.user;
}

/** At most once an hour per process: a DELETE of day-old proofs and one of ended sessions' marks keep both tables small. */
async function pruneUsedProofs(deps: SignInDeps): Promise<void> {
  const now = Date.now();
  if (now - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now;
  await Promise.all([forgetOldProofs(deps.database, now), forgetEndedSessions(deps.database)]).catch((error: unknown) => {
    deps.logger.warn(`sms-sign-in: could not prune ${error instanceof Error ? error.name : 'error'}`);
  });
}
