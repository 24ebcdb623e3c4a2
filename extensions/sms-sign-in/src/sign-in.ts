// The two routes the app calls with its key: lookup (is this an active member?) and issue
// (Plivo says this phone typed a fresh code: give that member a Directus session).
import type { SignInConfig } from './config';
import { claimsAllowMember, decodeClaims, dropSeed, endSession, plantSeed, recordLogin, rotateSeed, type SessionDeps } from './directus-session';
import { SignInError } from './errors';
import type { IssueInput, LookupInput } from './input';
import { maskPhone, shortUuid } from './log-safe';
import { createMember, findMember, memberRef, profileOf, type MemberProfile, type UserRow } from './members';
import { fetchVerifySession } from './plivo-client';
import { judgeProof } from './proof-decision';
import { claimProof, forgetOldProofs } from './used-proofs';

type LogFn = (message: string) => void;
export interface Log {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SignInDeps extends SessionDeps {
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

/** Refuses with the one generic error, logging why (masked) for whoever runs Directus. */
function refuse(deps: SignInDeps, input: IssueInput, reason: string): never {
  deps.logger.info(`sms-sign-in: issue refused (${reason}) for ${maskPhone(input.phone)}, Plivo session ${shortUuid(input.plivoSessionUuid)}`);
  throw new SignInError('refused');
}

async function checkProof(deps: SignInDeps, input: IssueInput): Promise<void> {
  const plivo = deps.config.plivo;
  if (!plivo) return; // SMS_SIGN_IN_PLIVO_PROOF=off, warned about at start
  // A test number (warned about at start): the app checked its fixed code; Plivo has no session.
  if (deps.config.testPhones.has(input.phone)) return;
  const { session } = await fetchVerifySession(plivo, input.plivoSessionUuid);
  if (session === null) refuse(deps, input, 'unknown_plivo_session');
  const refusal = judgeProof(session, {
    phone: input.phone,
    appUuid: plivo.appUuid,
    lifetimeSeconds: deps.config.codeLifetimeSeconds,
    now: Date.now(),
  });
  if (refusal) refuse(deps, input, refusal);
}

export async function issue(deps: SignInDeps, input: IssueInput, origin: string | null): Promise<IssueResult> {
  const found = await findMember(deps.database, input.phone, deps.config.memberRoles);
  // A phone no user holds at all may become a member, when the app asks and Directus allows it.
  const newcomer = !('user' in found) && found.refusal === 'no_user' && input.signUp;
  if (newcomer && !deps.config.signUpRole) refuse(deps, input, 'sign_up_off');
  if (!('user' in found) && !newcomer) refuse(deps, input, found.refusal);
  if ('user' in found && input.member !== null && input.member !== memberRef(deps.config.appKey, found.user.id)) refuse(deps, input, 'other_member');

  // Proof before claiming the uuid: a caller with the key alone must not be able to burn
  // someone's pending verification by claiming its uuid before the code is typed. Proof before
  // creating a member, too: only a phone Plivo has seen verified becomes one.
  await checkProof(deps, input);
  // A newcomer's proof is claimed before the member is created, so a used proof creates nobody.
  if (newcomer && !(await claimProof(deps.database, input.plivoSessionUuid))) refuse(deps, input, 'plivo_session_used');
  const user = 'user' in found ? found.user : await signUp(deps, input, deps.config.signUpRole!);
  const client = { ip: input.ip, userAgent: input.userAgent, origin };
  // A member's claim and the seed share one commit (each write its own is an fsync on SQLite); a
  // used uuid rolls the seed back with it.
  const seed = await deps.database.transaction(async (database) => {
    if (!newcomer && !(await claimProof(database, input.plivoSessionUuid))) refuse(deps, input, 'plivo_session_used');
    return plantSeed(database, user.id, client);
  });
  const session = await rotateSeed(deps, seed, client).catch(async (error: unknown) => {
    await dropSeed(deps.database, seed);
    return directusRefusal(deps, input, error);
  });
  const claimsOk = claimsAllowMember(decodeClaims(session.accessToken), user.id, session.sessionToken);
  await deps.database.transaction(async (database) => {
    await dropSeed(database, seed);
    if (claimsOk) await recordLogin(database, user.id, client);
    else await endSession(database, session.sessionToken);
  });
  if (!claimsOk) refuse(deps, input, 'token_claims');
  await pruneUsedProofs(deps);
  deps.logger.info(`sms-sign-in: signed in ${maskPhone(input.phone)}`);
  const now = Date.now();
  return { access_token: session.accessToken, expires: session.expires, expires_at: new Date(now + session.expires).toISOString(), member: profileOf(user) };
}

/**
 * Creates the member, or finds the one a concurrent sign-up for this number created. Should the
 * session then fail, the member stays: the next sign-in finds them as an ordinary member.
 */
async function signUp(deps: SignInDeps, input: IssueInput, role: string): Promise<UserRow> {
  await createMember(deps.database, input.phone, role);
  const found = await findMember(deps.database, input.phone, deps.config.memberRoles);
  if (!('user' in found)) refuse(deps, input, found.refusal);
  deps.logger.info(`sms-sign-in: signed up ${maskPhone(input.phone)}`);
  return found.user;
}

/** refresh() throws Directus errors: the member changed meanwhile, or Directus refuses all non-admins. */
function directusRefusal(deps: SignInDeps, input: IssueInput, error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'INVALID_CREDENTIALS' || code === 'USER_SUSPENDED') refuse(deps, input, `directus_${String(code).toLowerCase()}`);
  if (code === 'RESOURCE_RESTRICTED') {
    deps.logger.error('sms-sign-in: Directus refuses to issue sessions to non-admins (RESOURCE_RESTRICTED: the instance is licence-locked)');
    throw new SignInError('session_unavailable');
  }
  throw error;
}

/** At most once an hour per process: one DELETE of day-old rows keeps the table small. */
async function pruneUsedProofs(deps: SignInDeps): Promise<void> {
  const now = Date.now();
  if (now - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now;
  await forgetOldProofs(deps.database, now).catch((error: unknown) => {
    deps.logger.warn(`sms-sign-in: could not prune ${error instanceof Error ? error.name : 'error'}`);
  });
}
