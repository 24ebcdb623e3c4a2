import type { Channel } from '@/lib/api-contract';
import type { Locale } from '@/lib/i18n/locales';
import { ApiError, DeliveryCapReached } from '../errors';
import { attemptHits, enforce } from './limit-hits';
import { secondsLeft } from './pending-verification';
import type { CodeWindow, LimitHit, PacedCall, SignInDeps } from './ports';
import { callProvider, refuseLikeProvider } from './provider-refusals';

const BUDGET: LimitHit = ['smsBudget', 'all'];

/**
 * A code whose tries are used up (by this client, or by everyone) cannot sign anyone in, so
 * nothing is sent for it: the number gets a fresh code once this one dies.
 */
export async function refuseLockedCode(deps: SignInDeps, code: CodeWindow, ip: string) {
  if ((await deps.limiter.check(attemptHits(code.codeId, ip))) !== undefined) {
    throw new ApiError('rate_limited', { retryAfter: untilItDies(deps, code) });
  }
}

/**
 * Sends the number's code (Plivo delivers its live code again, or starts a new one), or, for a
 * number nobody owns, spends as long as such a send takes without sending. Answers the code's
 * window, which is remembered for strangers and members alike so that both expire the same way,
 * and the name of this delivery, whose status Plivo reports (a stranger's is imitated).
 */
export async function deliverCode(
  deps: SignInDeps,
  kind: Exclude<PacedCall, 'verify'>,
  target: { phone: string; country: string | undefined; decoy: 0 | 1; locale: Locale },
  channel: Channel,
  window: CodeWindow | undefined,
): Promise<{ code: CodeWindow; delivery: string }> {
  // Taken before sending, so our window never outlives Plivo's session.
  const startedAt = deps.clock.now();
  const { country } = target;
  const delivery = deps.random.uuid();
  // Opened once, before Plivo is asked: its first reports can arrive before its answer.
  if (deps.policy.deliveryReports) {
    const how = !target.decoy && deps.verifier.reportsDelivery(target.phone) ? 'reported' : 'imitated';
    await deps.deliveries.expect(delivery, how, { channel, country });
  }
  const codeId = target.decoy
    ? await imitateSend(deps, kind, country, window)
    : await deps.pacer.measure(kind, target.phone, async () => {
        await enforce(deps, [BUDGET]);
        const sent = await callProvider(deps, country, () => deps.verifier.sendCode(target.phone, channel, target.locale, delivery)).catch(
          (error: unknown) => {
            // Plivo's session for this number takes no more deliveries: a fresh code once it ends.
            if (!(error instanceof DeliveryCapReached)) throw error;
            const retryAfter = window ? untilItDies(deps, window) : deps.policy.codeTtlSeconds;
            throw new ApiError('rate_limited', { retryAfter }, { cause: error.cause });
          },
        );
        return sent.sessionUuid;
      });
  if (window?.codeId === codeId) return { code: window, delivery };
  const fresh = { codeId, startedAt };
  await deps.codes.open(target.phone, fresh);
  return { code: fresh, delivery };
}

/** Seconds until a fresh code can be had for the number: when this one dies (at least 1). */
function untilItDies(deps: SignInDeps, code: CodeWindow): number {
  return Math.max(1, secondsLeft(deps, code));
}

async function imitateSend(
  deps: SignInDeps,
  kind: PacedCall,
  country: string | undefined,
  window: CodeWindow | undefined,
): Promise<string> {
  const since = deps.pacer.mark();
  // Only real sends spend the budget, but a spent budget refuses both kinds alike.
  const wait = await deps.limiter.check([BUDGET]);
  if (wait !== undefined) throw new ApiError('rate_limited', { retryAfter: wait });
  await refuseLikeProvider(deps, country, since);
  await deps.pacer.imitate(kind, since);
  return window?.codeId ?? deps.random.uuid();
}
