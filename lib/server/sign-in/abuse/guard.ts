import { ApiError } from '../../errors';
import type { AbuseDeps, BotCheckLevel, Route } from './ports';
import { routeState, routesOf } from './breaker';

/** A code about to be handed out: where it goes, who asks, and their proof of work if any. */
export type SendRequest = { phone: string; ip: string; botCheck?: string };

const REFUSAL_CODES = {
  invalid: 'bot_check_invalid',
  expired: 'bot_check_expired',
  replayed: 'bot_check_replayed',
  too_easy: 'bot_check_too_easy',
} as const;

/**
 * Before a code is handed out (a start or a resend), whoever holds the number: refuses a paused
 * route with `country_paused`, trips a route whose codes are seldom used, and asks for (or checks)
 * the proof of work where the policy wants it. Nothing here looks at who holds the number, so
 * members and strangers get the same answers after the same work.
 */
export async function guardSend(deps: AbuseDeps, request: SendRequest): Promise<void> {
  const { policy, counters } = deps.abuse;
  const routes = policy.breaker ? routesOf(request.phone, policy) : [];
  const [conversions, pauses, clientSends] = await Promise.all([
    counters.read(routes),
    counters.paused(routes),
    policy.botCheck === 'auto' ? counters.clientSends(request.ip) : 0,
  ]);
  const pausedMs = Math.max(0, ...pauses.map((pause) => pause.ms));
  if (pausedMs > 0)
    throw new ApiError('country_paused', {
      retryAfter: Math.ceil(pausedMs / 1000),
    });
  await Promise.all(routes.map((route, i) => (pauses[i]!.tripped ? recover(deps, route) : undefined)));

  const states = routes.map((route, i) => routeState(route, conversions[i]!, policy));
  const tripping = routes.filter((_, i) => states[i] === 'pause');
  if (tripping.length) {
    await Promise.all(tripping.map((route) => trip(deps, route, conversions[routes.indexOf(route)]!)));
    throw new ApiError('country_paused', {
      retryAfter: Math.ceil(policy.cooldownMs / 1000),
    });
  }

  const raised = states.includes('check') || pauses.some((pause) => pause.tripped);
  const level: BotCheckLevel = raised ? 'raised' : 'standard';
  const wanted = policy.botCheck === 'always' || (policy.botCheck === 'auto' && (raised || clientSends >= policy.botCheckAfterClientSends));
  if (!wanted) return;
  if (!request.botCheck) throw await botCheckRefusal(deps, 'bot_check_required', level);
  const refusal = await deps.abuse.proofOfWork.verify(request.botCheck, level);
  if (refusal) throw await botCheckRefusal(deps, REFUSAL_CODES[refusal], level);
}

/** After a code was handed out (a real one or a stranger's imitation alike): counts it. */
export async function countSend(deps: AbuseDeps, phone: string, ip: string): Promise<void> {
  const { policy, counters } = deps.abuse;
  const routes = policy.breaker ? routesOf(phone, policy) : [];
  const client = policy.botCheck === 'auto' ? ip : undefined;
  if (routes.length || client) await counters.countSend(routes, client);
}

/** A code was used to sign in: its routes convert. */
export async function countVerified(deps: AbuseDeps, phone: string): Promise<void> {
  const { policy, counters } = deps.abuse;
  if (policy.breaker) await counters.countVerified(routesOf(phone, policy));
}

async function botCheckRefusal(
  deps: AbuseDeps,
  code: (typeof REFUSAL_CODES)[keyof typeof REFUSAL_CODES] | 'bot_check_required',
  level: BotCheckLevel,
) {
  return new ApiError(code, {
    botCheck: await deps.abuse.proofOfWork.challenge(level),
  });
}

async function trip(deps: AbuseDeps, route: Route, counts: { sends: number; verified: number }) {
  if (await deps.abuse.counters.trip(route, deps.abuse.policy.cooldownMs)) {
    await deps.abuse.alerts.tell({ event: 'breaker_trip', route, ...counts });
  }
}

async function recover(deps: AbuseDeps, route: Route) {
  if (await deps.abuse.counters.recover(route)) {
    const [counts] = await deps.abuse.counters.read([route]);
    await deps.abuse.alerts.tell({
      event: 'breaker_recovery',
      route,
      ...counts!,
    });
  }
}
