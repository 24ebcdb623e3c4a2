import type { DeliveryResponse } from '@/lib/api-contract';
import { ApiError } from '../../errors';
import type { SessionData } from '../ports';
import type { DeliveryState, SmsSignInDeps } from './ports';
import { isExpired } from './pending-verification';

/**
 * How the pending code's latest delivery is doing, for the code screen. A number nobody owns has
 * an imitated delivery, which follows the course of a member's real one on the same channel, so
 * its answers (failures and deliveries that never end included) come as a member's do.
 */
export async function deliveryStatus(deps: SmsSignInDeps, session: SessionData): Promise<DeliveryResponse> {
  const pending = session.pending;
  if (!pending || isExpired(deps, pending)) throw new ApiError('no_pending_verification');
  const state = deps.policy.deliveryReports && pending.delivery ? await deps.deliveries.current(pending.delivery) : undefined;
  if (!state) return { delivery: 'unknown' };
  return state.state === 'failed' ? { delivery: 'failed', reason: state.reason } : { delivery: state.state };
}

/**
 * Applies one of the provider's reports, already authenticated, to its delivery. Plivo's V2
 * signature has no timestamp, so "stale" means: its nonce was seen before (a replay), or its
 * delivery has no open record (the code's lifetime is over, or the name was never ours).
 * Reports that say nothing about the delivery (the session verified or expired) change nothing.
 */
export async function recordDeliveryReport(
  deps: SmsSignInDeps,
  report: { delivery: string; nonce: string; state: DeliveryState | undefined },
): Promise<'recorded' | 'kept'> {
  if (!(await deps.deliveries.firstSighting(report.nonce))) throw new ApiError('callback_replayed');
  if (!report.state) {
    if (!(await deps.deliveries.current(report.delivery))) throw new ApiError('callback_stale');
    return 'kept';
  }
  const outcome = await deps.deliveries.report(report.delivery, report.state);
  if (outcome === 'unknown') throw new ApiError('callback_stale');
  return outcome;
}
