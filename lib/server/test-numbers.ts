import 'server-only';

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import { maskPhone, normalizePhone } from '@/lib/phone';
import type { LimitStore } from './limit-store';
import type { CheckResult, Pacer, Verifier } from './sign-in/ports';

/** Numbers that sign in with a fixed code and are never sent anything (TEST_PHONE_NUMBERS): E.164 → code. */
export type TestNumbers = ReadonlyMap<string, string>;

/**
 * `+12025550123=424242,+447400123457=135790`. Each number must be E.164 as libphonenumber
 * writes it and valid by its full metadata (the fictional +1 555 01xx range is not), each code
 * digits only; lengths are checked against OTP_CODE_LENGTH by testNumberIssues.
 */
export function parseTestNumbers(value: string): TestNumbers {
  const numbers = new Map<string, string>();
  for (const pair of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [phone = '', code = '', ...rest] = pair.split('=').map((part) => part.trim());
    if (rest.length || !code) throw new Error(`"${maskPhone(phone)}": write each as +number=code`);
    if (normalizePhone(phone)?.e164 !== phone)
      throw new Error(`"${maskPhone(phone)}" is not a valid phone number in E.164 form (+ and digits)`);
    if (!/^\d+$/.test(code)) throw new Error(`the code of ${maskPhone(phone)} must be digits only`);
    if (numbers.has(phone)) throw new Error(`${maskPhone(phone)} is listed twice`);
    numbers.set(phone, code);
  }
  return numbers;
}

/** What makes a test number unusable with the rest of the configuration. */
export function testNumberIssues(numbers: TestNumbers, codeLength: number): string[] {
  return [...numbers]
    .filter(([, code]) => code.length !== codeLength)
    .map(([phone]) => `TEST_PHONE_NUMBERS: the code of ${maskPhone(phone)} must have OTP_CODE_LENGTH (${codeLength}) digits`);
}

/**
 * How long a test number's wrong codes are remembered after the latest of them. Long, because the
 * budget is for the code's whole life; not forever, so the store holds no key without a lifetime.
 */
const WRONG_CODES_KEPT_MS = 365 * 24 * 60 * 60 * 1000;

/** The one boot warning: who can sign in without a phone. */
export function testNumbersWarning(numbers: TestNumbers): string {
  return `TEST_PHONE_NUMBERS: ${[...numbers.keys()].map(maskPhone).join(', ')} sign in with a fixed code and are never sent one; anyone who knows a code can sign in as its member.`;
}

/**
 * The Plivo port with test numbers in front: for them nothing reaches Plivo. They behave as a
 * Plivo session does (one session, one code per number for the code's lifetime, resends keep it,
 * a verified session takes no more codes), kept in the limit store so every instance agrees, and
 * each call waits as long as a real one typically takes. Nothing reports on their deliveries
 * (reportsDelivery), so those are imitated like the deliveries of numbers nobody owns. The
 * use-cases do not know which numbers these are: limits, pacing and answers are a real number's.
 *
 * A test number's code never changes, so the per-code limits that bound guesses at a real number
 * start afresh with each of its code windows. Each code therefore has a lifetime `budget` of wrong
 * codes: once it is spent the number signs in no more (even its right code fails as a wrong one
 * does) until its code is changed, which starts a new budget. It is kept under a keyed hash of the
 * number and its code (`secret`), so the store holds neither.
 */
export function withTestNumbers(
  plivo: Verifier,
  {
    numbers,
    store,
    pacer,
    lifetimeSeconds,
    budget,
  }: { numbers: TestNumbers; store: LimitStore; pacer: Pacer; lifetimeSeconds: number; budget: { wrongCodes: number; secret: string } },
): Verifier {
  if (numbers.size === 0) return plivo;
  const phones = [...numbers.keys()];
  const lifetimeMs = lifetimeSeconds * 1000;
  // By position in the list, so that no key holds a phone number.
  const liveKey = (phone: string) => `{sms-sign-in}:test-number:${phones.indexOf(phone)}`;
  const sessionKey = (sessionUuid: string) => `{sms-sign-in}:test-session:${sessionUuid}`;
  const codeHash = (phone: string) =>
    createHmac('sha256', budget.secret)
      .update(`${phone}=${numbers.get(phone)}`)
      .digest('base64url')
      .slice(0, 22);
  const wrongCodesKey = (phone: string) => `{sms-sign-in}:test-number-wrong-codes:${codeHash(phone)}`;
  const spentNoticeKey = (phone: string) => `{sms-sign-in}:test-number-spent:${codeHash(phone)}`;
  type TestSession = { phone: string; verified: boolean };

  const budgetSpent = async (phone: string) => (await store.peek([wrongCodesKey(phone)]))[0]!.count >= budget.wrongCodes;

  /** Counts a wrong code against the number's budget; the first instance to see it spent says so. */
  async function countWrongCode(phone: string) {
    await store.countAll([{ key: wrongCodesKey(phone), points: budget.wrongCodes, ms: WRONG_CODES_KEPT_MS, renew: true }]);
    if ((await budgetSpent(phone)) && (await store.claim(spentNoticeKey(phone), WRONG_CODES_KEPT_MS))) {
      console.warn(
        `TEST_PHONE_NUMBERS: ${maskPhone(phone)} has had ${budget.wrongCodes} wrong codes and signs in no more until its code is changed ` +
          '(TEST_PHONE_NUMBERS_MAX_WRONG_CODES; docs/test-numbers.md)',
      );
    }
  }

  return {
    async sendCode(recipient, channel, locale, delivery) {
      if (!numbers.has(recipient)) return plivo.sendCode(recipient, channel, locale, delivery);
      await pacer.imitate('start', pacer.mark());
      const live = await store.get(liveKey(recipient));
      if (live) return { sessionUuid: live };
      const sessionUuid = randomUUID();
      const session: TestSession = { phone: recipient, verified: false };
      // Outlives the code a little, so a check at its last moment still finds it.
      await store.set(sessionKey(sessionUuid), JSON.stringify(session), 2 * lifetimeMs);
      await store.set(liveKey(recipient), sessionUuid, lifetimeMs);
      return { sessionUuid };
    },

    reportsDelivery: (recipient) => !numbers.has(recipient) && plivo.reportsDelivery(recipient),

    async checkCode(sessionUuid, code): Promise<CheckResult> {
      const stored = await store.get(sessionKey(sessionUuid));
      if (!stored) return plivo.checkCode(sessionUuid, code);
      await pacer.imitate('verify', pacer.mark());
      const session = JSON.parse(stored) as TestSession;
      if (session.verified) return 'expired';
      if (await budgetSpent(session.phone)) return 'wrong_code';
      if (!sameCode(code, numbers.get(session.phone)!)) {
        await countWrongCode(session.phone);
        return 'wrong_code';
      }
      await store.set(sessionKey(sessionUuid), JSON.stringify({ ...session, verified: true }), lifetimeMs);
      await store.delete(liveKey(session.phone)); // the next start gets a new session, as on Plivo
      return 'verified';
    },

    ping: () => plivo.ping(),
  };
}

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
