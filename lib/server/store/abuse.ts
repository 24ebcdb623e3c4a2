import 'server-only';

import { createHmac, randomInt } from 'node:crypto';

import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

import type { BotCheckChallenge } from '@/lib/api-contract';
import type { Env } from '../env';
import type { AbuseAlerts, AbuseGuards, AbusePolicy, BotCheckLevel, ConversionCounters, ProofOfWork, Route } from '../sign-in/abuse/ports';
import { storeKey, type SharedStore } from './shared-store';

const ALGORITHM = 'PBKDF2/SHA-256';
/** PBKDF2 iterations per try: the solver's tries (BOT_CHECK_WORK) set the difficulty. */
const COST = 1_000;
/** A challenge is solved within seconds; one that lives longer is a stockpile for later. */
const CHALLENGE_SECONDS = 300;
const RAISED_FACTOR = 4;
/** Counters that only ever count up: their bound is never reached. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;
const CLIENT_WINDOW_MS = 3_600_000;

/** The settings of the defences, from configuration. */
export function abusePolicy(env: Env): AbusePolicy {
  const open = env.SIGN_UP === 'open';
  return {
    botCheck: env.BOT_CHECK ?? (open ? 'auto' : 'off'),
    botCheckAfterClientSends: env.BOT_CHECK_AFTER_SENDS_PER_IP,
    breaker: open,
    prefixDigits: env.BREAKER_PREFIX_DIGITS,
    checkAfterSends: env.BREAKER_CHECK_AFTER_SENDS,
    pauseAfterSends: env.BREAKER_PAUSE_AFTER_SENDS,
    minConversion: env.BREAKER_MIN_CONVERSION_PERCENT / 100,
    cooldownMs: env.BREAKER_COOLDOWN_MINUTES * 60_000,
  };
}

/**
 * The proof-of-work check, the breaker's counters and its alerts, over the store every instance
 * shares. Client addresses are kept as keyed hashes; routes are a few leading digits, no number.
 */
export function createAbuseGuards(env: Env, store: SharedStore): AbuseGuards {
  const policy = abusePolicy(env);
  const secret = (label: string) => createHmac('sha256', env.SESSION_SECRET).update(label).digest('base64url');
  const hash = (value: string) => createHmac('sha256', env.SESSION_SECRET).update(value).digest('base64url').slice(0, 22);
  const key = (...parts: string[]) => storeKey('abuse', ...parts);
  return {
    policy,
    proofOfWork: altchaProofOfWork(env, store, secret('bot-check'), key),
    counters: conversionCounters(env, store, hash, key),
    alerts: alerts(env),
  };
}

function altchaProofOfWork(env: Env, store: SharedStore, hmacSignatureSecret: string, key: (...parts: string[]) => string): ProofOfWork {
  const workOf = (level: BotCheckLevel) => env.BOT_CHECK_WORK * (level === 'raised' ? RAISED_FACTOR : 1);
  return {
    async challenge(level) {
      const work = workOf(level);
      const challenge = await createChallenge({
        algorithm: ALGORITHM,
        cost: COST,
        // The answer lies in the upper half, so that no challenge is a lucky cheap one.
        counter: randomInt(Math.floor(work / 2), work + 1),
        deriveKey,
        hmacSignatureSecret,
        expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000),
        data: { level, work },
      });
      return challenge as BotCheckChallenge;
    },
    async verify(encoded, level) {
      const payload = decode(encoded);
      if (!payload) return 'invalid';
      const result = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret,
      }).catch(() => undefined);
      if (!result || result.invalidSignature || result.invalidSolution) return 'invalid';
      if (result.expired || !payload.challenge.parameters.expiresAt) return 'expired';
      if (!result.verified) return 'invalid';
      const { cost, data, expiresAt } = payload.challenge.parameters;
      if (cost < COST || Number(data?.work ?? 0) < workOf(level)) return 'too_easy';
      const live = expiresAt * 1000 - Date.now();
      const first = await store.claim(key('bot-check', payload.challenge.signature!), Math.max(1, live));
      return first ? undefined : 'replayed';
    },
  };
}

/** The solution as the browser sends it: base64url JSON of `{ challenge, solution }`. */
function decode(encoded: string): { challenge: Challenge & { signature: string }; solution: Solution } | undefined {
  try {
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { challenge?: Challenge; solution?: Solution };
    const { challenge, solution } = payload;
    if (typeof challenge?.signature !== 'string' || typeof challenge.parameters !== 'object' || typeof solution?.derivedKey !== 'string')
      return undefined;
    if (!Number.isSafeInteger(solution.counter)) return undefined;
    return {
      challenge: challenge as Challenge & { signature: string },
      solution,
    };
  } catch {
    return undefined;
  }
}

/**
 * Sends and verifications per route over a sliding window: two fixed buckets, the previous one
 * weighted by how much of it the window still covers.
 */
function conversionCounters(
  env: Env,
  store: SharedStore,
  hash: (value: string) => string,
  key: (...parts: string[]) => string,
): ConversionCounters {
  const windowMs = env.BREAKER_WINDOW_MINUTES * 60_000;
  const routeKey = (route: Route) => `${route.kind}:${route.digits}`;
  const bucketKeys = (kind: 'sends' | 'verified', route: Route) => {
    const bucket = Math.floor(Date.now() / windowMs);
    return [key(kind, routeKey(route), String(bucket)), key(kind, routeKey(route), String(bucket - 1))];
  };
  const bucket = (k: string) => ({
    key: k,
    points: UNBOUNDED,
    ms: 2 * windowMs,
  });
  const clientKey = (ip: string) => key('client', hash(ip));
  const pauseKey = (route: Route) => key('paused', routeKey(route));
  const trippedKey = (route: Route) => key('tripped', routeKey(route));
  return {
    async countSend(routes, ip) {
      const client = ip === undefined ? [] : [{ key: clientKey(ip), points: UNBOUNDED, ms: CLIENT_WINDOW_MS }];
      await store.countAll([...routes.map((route) => bucket(bucketKeys('sends', route)[0]!)), ...client]);
    },
    async countVerified(routes) {
      if (routes.length) await store.countAll(routes.map((route) => bucket(bucketKeys('verified', route)[0]!)));
    },
    async read(routes) {
      if (!routes.length) return [];
      const covered = 1 - (Date.now() % windowMs) / windowMs;
      const keys = routes.flatMap((route) => [...bucketKeys('sends', route), ...bucketKeys('verified', route)]);
      const counts = (await store.peek(keys)).map((state) => state.count);
      return routes.map((_, i) => {
        const [sends, sendsBefore, verified, verifiedBefore] = counts.slice(4 * i, 4 * i + 4) as [number, number, number, number];
        return {
          sends: Math.round(sends + sendsBefore * covered),
          verified: Math.round(verified + verifiedBefore * covered),
        };
      });
    },
    async clientSends(ip) {
      const [state] = await store.peek([clientKey(ip)]);
      return state!.count;
    },
    async trip(route, ms) {
      if (!(await store.claim(pauseKey(route), ms))) return false;
      // After its cool-down a route asks for the raised check for a window more, with fresh counts.
      await Promise.all([
        store.set(trippedKey(route), String(Date.now()), ms + windowMs),
        ...[...bucketKeys('sends', route), ...bucketKeys('verified', route)].map((k) => store.delete(k)),
      ]);
      return true;
    },
    async paused(routes) {
      if (!routes.length) return [];
      const [pauses, tripped] = await Promise.all([
        store.peek(routes.map(pauseKey)),
        Promise.all(routes.map((route) => store.get(trippedKey(route)))),
      ]);
      return routes.map((_, i) => ({
        ms: pauses[i]!.count > 0 ? pauses[i]!.ms : 0,
        tripped: tripped[i] !== undefined,
      }));
    },
    async recover(route) {
      const trippedAt = await store.get(trippedKey(route));
      if (!trippedAt) return false;
      return store.claim(key('recovered', routeKey(route), trippedAt), windowMs);
    },
  };
}

/** One log line per trip and recovery, and a JSON POST to ALERT_WEBHOOK_URL when set. */
function alerts(env: Env): AbuseAlerts {
  return {
    async tell({ event, route, sends, verified }) {
      const body = {
        at: new Date().toISOString(),
        event,
        route: route.kind,
        digits: route.digits,
        sends,
        verified,
      };
      console.warn(JSON.stringify(body));
      if (!env.ALERT_WEBHOOK_URL) return;
      try {
        const response = await fetch(env.ALERT_WEBHOOK_URL, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(env.ALERT_WEBHOOK_TIMEOUT_MS),
        });
        if (!response.ok)
          console.error(
            JSON.stringify({
              at: new Date().toISOString(),
              event: 'alert_webhook',
              outcome: 'upstream_unavailable',
              reason: `status ${response.status}`,
            }),
          );
      } catch (error) {
        console.error(
          JSON.stringify({
            at: new Date().toISOString(),
            event: 'alert_webhook',
            outcome: 'upstream_unavailable',
            reason: (error as Error).name,
          }),
        );
      }
    },
  };
}
