import 'server-only';

import { createHmac, randomUUID } from 'node:crypto';

import { maskPhone } from '@/lib/phone';
import { equalSecrets } from '../constant-time';
import type { CheckResult, Pacer, Verifier } from '../sign-in/sms/ports';
import { storeKey, type SharedStore } from '../store/shared-store';
import type { TestNumbers } from './test-numbers';

/**
 * How long a test number's wrong codes are remembered after the latest of them. Long, because the
 * budget is for the code's whole life; not forever, so the store holds no key without a lifetime.
 */
const WRONG_CODES_KEPT_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The Plivo port with test numbers in front: for them nothing reaches Plivo. They behave as a
 * Plivo session does (one session, one code per number for the code's lifetime, resends keep it,
 * a verified session takes no more codes), kept in the shared store so every instance agrees, and
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
  }: { numbers: TestNumbers; store: SharedStore; pacer: Pacer; lifetimeSeconds: number; budget: { wrongCodes: number; secret: string } },
): Verifier {
  if (numbers.size === 0) return plivo;
  const phones = [...numbers.keys()];
  const lifetimeMs = lifetimeSeconds * 1000;
  // By position in the list, so that no key holds a phone number.
  const liveKey = (phone: string) => storeKey('test-number', String(phones.indexOf(phone)));
  const sessionKey = (sessionUuid: string) => storeKey('test-session', sessionUuid);
  const codeHash = (phone: string) =>
    createHmac('sha256', budget.secret)
      .update(`${phone}=${numbers.get(phone)}`)
      .digest('base64url')
      .slice(0, 22);
  const wrongCodesKey = (phone: string) => storeKey('test-number-wrong-codes', codeHash(phone));
  const spentNoticeKey = (phone: string) => storeKey('test-number-spent', codeHash(phone));
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
      if (live) return { codeId: live };
      const sessionUuid = randomUUID();
      const session: TestSession = { phone: recipient, verified: false };
      // Outlives the code a little, so a check at its last moment still finds it.
      await store.set(sessionKey(sessionUuid), JSON.stringify(session), 2 * lifetimeMs);
      await store.set(liveKey(recipient), sessionUuid, lifetimeMs);
      return { codeId: sessionUuid };
    },

    reportsDelivery: (recipient) => !numbers.has(recipient) && plivo.reportsDelivery(recipient),

    async checkCode(sessionUuid, code): Promise<CheckResult> {
      const stored = await store.get(sessionKey(sessionUuid));
      if (!stored) return plivo.checkCode(sessionUuid, code);
      await pacer.imitate('verify', pacer.mark());
      const session = JSON.parse(stored) as TestSession;
      if (session.verified) return 'expired';
      if (await budgetSpent(session.phone)) return 'wrong_code';
      if (!equalSecrets(code, numbers.get(session.phone)!)) {
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
