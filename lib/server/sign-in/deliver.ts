import type { Channel } from '@/lib/api-contract';
import { AuthError } from '../errors';
import type { PendingVerification } from '../session';
import { enforce, type SignInDeps } from './context';
import type { LimitHit } from './ports';

/** What every code sent to a number counts against, whether or not anyone owns it. */
export function sendHits(phone: string, ip: string): LimitHit[] {
  return [
    ['resendCooldown', phone],
    ['codesPerPhoneHour', phone],
    ['codesPerPhoneDay', phone],
    ['sendsPerIp', ip],
  ];
}

const BUDGET: LimitHit = ['smsBudget', 'all'];

/**
 * Sends the code for a pending verification, or, for a number nobody owns, spends as long as a
 * send takes without sending. Answers the Plivo session id (the decoy's own random one).
 */
export async function deliverCode(
  deps: SignInDeps,
  pending: Pick<PendingVerification, 'userId' | 'sessionUuid' | 'phone' | 'decoy'>,
  channel: Channel,
): Promise<string> {
  if (pending.decoy) {
    const since = deps.pacer.mark();
    // The budget refuses both kinds alike, or its exhaustion would tell members apart.
    const wait = await deps.limiter.check([BUDGET]);
    if (wait !== undefined) throw new AuthError('rate_limited', { retryAfter: wait });
    await deps.pacer.imitate('send', since);
    return pending.sessionUuid;
  }
  return deps.pacer.measure('send', async () => {
    await enforce(deps, [BUDGET]);
    // Plivo makes a repeat within the expiry window a new attempt of the same session and code.
    const { sessionUuid } = await deps.verifier.sendCode(pending.phone, channel);
    // If this write fails the person just asks again: Plivo hands back the same live session.
    if (sessionUuid !== pending.sessionUuid) await deps.directory.setOtpSession(pending.userId, sessionUuid);
    return sessionUuid;
  });
}
