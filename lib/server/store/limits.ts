import 'server-only';

import { createHmac } from 'node:crypto';

import type { Env } from '../env';
import type { LimitHit, LimitRule, Limiter } from '../sign-in/ports';
import type { CodeLedger, CodeWindow, ProviderRefusal, ProviderRefusals } from '../sign-in/sms/ports';
import { storeKey, type SharedStore } from './shared-store';

type Rule = { points: number; seconds: number };

/** Plivo checks at most 10 codes per session (its documentation); we never ask it for more. */
export const PLIVO_MAX_VALIDATIONS = 10;

/**
 * How long a refusal by the SMS provider is believed without a real call to confirm it: one for
 * everyone (an outage) briefly, as members' calls keep trying and end it as soon as one goes
 * through; a country's (Geo Permissions are changed by hand, rarely) for an hour.
 */
export const PROVIDER_REFUSAL_SECONDS = { everyone: 30, country: 3_600 } as const;

/** The limits, from configuration. NIST SP 800-63B-4 §3.2.2; see README "Abuse defences". */
export function limitRules(env: Env): Record<LimitRule, Rule> {
  return {
    resendCooldown: { points: 1, seconds: env.OTP_RESEND_AFTER_SECONDS },
    codesPerPhoneHour: { points: env.LIMIT_CODES_PER_PHONE_HOUR, seconds: 3_600 },
    codesPerPhoneDay: { points: env.LIMIT_CODES_PER_PHONE_DAY, seconds: 86_400 },
    sendsPerIp: { points: env.LIMIT_SENDS_PER_IP_HOUR, seconds: 3_600 },
    verifiesPerIp: { points: env.LIMIT_VERIFIES_PER_IP_10_MIN, seconds: 600 },
    passkeyOptionsPerIp: { points: env.LIMIT_PASSKEY_OPTIONS_PER_IP_10_MIN, seconds: 600 },
    passkeySignInsPerIp: { points: env.LIMIT_PASSKEY_SIGN_INS_PER_IP_10_MIN, seconds: 600 },
    smsBudget: { points: env.LIMIT_SMS_PER_HOUR, seconds: 3_600 },
    attemptsPerCodeAndClient: { points: env.OTP_MAX_ATTEMPTS, seconds: env.OTP_EXPIRY_SECONDS },
    checksPerCode: { points: PLIVO_MAX_VALIDATIONS, seconds: env.OTP_EXPIRY_SECONDS },
  };
}

/**
 * A key for a value of some kind (a phone number, an address, a Plivo session id): the store
 * sees only a keyed hash of the value.
 */
function hashedKey(env: Env, kind: string, value: string): string {
  return storeKey(kind, createHmac('sha256', env.SESSION_SECRET).update(value).digest('base64url').slice(0, 22));
}

/** The limiter over one store (memory, or Redis shared by every instance). */
export function createLimiter(env: Env, store: SharedStore): Limiter {
  const rules = limitRules(env);
  // A rule of 0 seconds (no cooldown) counts nothing.
  const active = (hits: readonly LimitHit[]) => hits.filter(([rule]) => rules[rule].seconds > 0);
  const counter = ([rule, key, mode]: LimitHit) => ({
    key: hashedKey(env, rule, key),
    points: rules[rule].points,
    ms: rules[rule].seconds * 1000,
    checkOnly: mode === 'check',
  });
  const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    async take(hits) {
      const wait = await store.countAll(active(hits).map(counter));
      return wait === undefined ? undefined : toSeconds(wait);
    },
    async giveBack(hits) {
      await store.uncount(active(hits).flatMap((hit) => (hit[2] === 'check' ? [] : [counter(hit).key])));
    },
    async check(hits) {
      const counters = active(hits).map(counter);
      const states = await store.peek(counters.map((c) => c.key));
      const waits = states.flatMap((state, i) => (state.count >= counters[i]!.points ? [state.ms] : []));
      return waits.length ? toSeconds(Math.max(...waits)) : undefined;
    },
    async remaining(hit) {
      if (!active([hit]).length) return Infinity;
      const [state] = await store.peek([counter(hit).key]);
      return Math.max(0, rules[hit[0]].points - state!.count);
    },
  };
}

/** The code ledger: each number's code window, and the codes already used. */
export function createCodeLedger(env: Env, store: SharedStore): CodeLedger {
  const lifetimeMs = env.OTP_EXPIRY_SECONDS * 1000;
  const windowKey = (phone: string) => hashedKey(env, 'window', phone);
  return {
    async current(phone) {
      const value = await store.get(windowKey(phone));
      return value ? (JSON.parse(value) as CodeWindow) : undefined;
    },
    async open(phone, window) {
      const left = window.startedAt + lifetimeMs - Date.now();
      if (left > 0) await store.set(windowKey(phone), JSON.stringify(window), left);
    },
    async close(phone) {
      await store.delete(windowKey(phone));
    },
    spend: (codeId) => store.claim(hashedKey(env, 'spent', codeId), lifetimeMs),
  };
}

/** The provider's refusals that hold for everyone, or for a country, remembered for a while. */
export function createProviderRefusals(env: Env, store: SharedStore): ProviderRefusals {
  const refusalKey = (country: string | undefined) => hashedKey(env, 'provider-refusal', country ?? '*');
  return {
    async current(country) {
      const [everyone, ofCountry] = await Promise.all([
        store.get(refusalKey(undefined)),
        country ? store.get(refusalKey(country)) : undefined,
      ]);
      const value = everyone ?? ofCountry;
      return value ? (JSON.parse(value) as ProviderRefusal) : undefined;
    },
    async remember(refusal, country) {
      const seconds = country ? PROVIDER_REFUSAL_SECONDS.country : PROVIDER_REFUSAL_SECONDS.everyone;
      await store.set(refusalKey(country), JSON.stringify(refusal), seconds * 1000);
    },
    async forget(country) {
      await Promise.all([store.delete(refusalKey(undefined)), country ? store.delete(refusalKey(country)) : undefined]);
    },
  };
}
