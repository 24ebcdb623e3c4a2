import 'server-only';

import { createHmac } from 'node:crypto';

import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import type { Env } from './env';
import { AuthError } from './errors';
import type { LimitHit, LimitRule, Limiter } from './sign-in/ports';

type Rule = { points: number; seconds: number };

/** The limits, from configuration. NIST SP 800-63B-4 §3.2.2; see README "Abuse defences". */
export function limitRules(env: Env): Record<LimitRule, Rule> {
  return {
    resendCooldown: { points: 1, seconds: env.OTP_RESEND_AFTER_SECONDS },
    codesPerPhoneHour: { points: env.LIMIT_CODES_PER_PHONE_HOUR, seconds: 3_600 },
    codesPerPhoneDay: { points: env.LIMIT_CODES_PER_PHONE_DAY, seconds: 86_400 },
    sendsPerIp: { points: env.LIMIT_SENDS_PER_IP_HOUR, seconds: 3_600 },
    verifiesPerIp: { points: env.LIMIT_VERIFIES_PER_IP_10_MIN, seconds: 600 },
    smsBudget: { points: env.LIMIT_SMS_PER_HOUR, seconds: 3_600 },
    wrongCodesPerPhone: { points: env.LIMIT_WRONG_CODES_PER_PHONE_HOUR, seconds: 3_600 },
    wrongCodesPerCode: { points: env.OTP_MAX_ATTEMPTS, seconds: 600 },
  };
}

/**
 * The limiter adapter: rate-limiter-flexible in memory, or in Redis when REDIS_URL is set so that
 * every instance of a deployment counts together. A Redis that does not answer within its command
 * timeout refuses the request (503) rather than letting it through uncounted.
 */
export function createLimiter(env: Env): Limiter {
  const rules = limitRules(env);
  const redis = env.REDIS_URL
    ? new Redis(env.REDIS_URL, { commandTimeout: env.REDIS_TIMEOUT_MS, connectTimeout: env.REDIS_TIMEOUT_MS, maxRetriesPerRequest: 1 })
    : undefined;
  redis?.on('error', () => undefined); // failures surface on the commands themselves
  const limiters = Object.fromEntries(
    Object.entries(rules)
      .filter(([, rule]) => rule.seconds > 0)
      .map(([name, rule]) => {
        const options = { keyPrefix: `sms-sign-in:${name}`, points: rule.points, duration: rule.seconds };
        return [name, redis ? new RateLimiterRedis({ ...options, storeClient: redis }) : new RateLimiterMemory(options)];
      }),
  ) as Partial<Record<LimitRule, RateLimiterAbstract>>;

  // Keys hold phone numbers and IPs: store only a keyed hash of them.
  const hashKey = (key: string) => createHmac('sha256', env.SESSION_SECRET).update(key).digest('base64url').slice(0, 22);
  const active = (hits: readonly LimitHit[]) =>
    hits.flatMap(([rule, key]) => {
      const limiter = limiters[rule];
      return limiter ? [{ limiter, key: hashKey(key) }] : [];
    });

  return {
    async take(hits) {
      const taken: Array<{ limiter: RateLimiterAbstract; key: string }> = [];
      for (const hit of active(hits)) {
        try {
          await hit.limiter.consume(hit.key);
          taken.push(hit);
        } catch (refusal) {
          // All or none: give back what this request already counted.
          await Promise.all(taken.map((done) => done.limiter.reward(done.key).catch(() => undefined)));
          return secondsToWait(refusal);
        }
      }
      return undefined;
    },

    async check(hits) {
      const states = await store(Promise.all(active(hits).map((hit) => hit.limiter.get(hit.key))));
      const waits = states.flatMap((state) => (state && state.remainingPoints <= 0 ? [Math.ceil(state.msBeforeNext / 1000)] : []));
      return waits.length ? Math.max(1, ...waits) : undefined;
    },

    async remaining([rule, key]) {
      const limiter = limiters[rule];
      if (!limiter) return Infinity;
      const state = await store(limiter.get(hashKey(key)));
      return state ? Math.max(0, state.remainingPoints) : rules[rule].points;
    },
  };
}

function secondsToWait(refusal: unknown): number {
  if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  throw new AuthError('upstream_unavailable', {}, { cause: `rate limit store: ${(refusal as Error)?.message ?? refusal}` });
}

async function store<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new AuthError('upstream_unavailable', {}, { cause: `rate limit store: ${(error as Error)?.message ?? error}` });
  }
}
