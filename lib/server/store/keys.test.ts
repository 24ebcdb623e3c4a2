import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseEnv } from '../env';
import { withTestNumbers } from '../plivo/test-number-verifier';
import type { HeldCredential } from '../sign-in/ports';
import type { Pacer, Verifier } from '../sign-in/sms/ports';
import { createDeliveryReports } from './delivery-reports';
import { createCodeLedger, createLimiter, createProviderRefusals } from './limits';
import { createSharedRefresh } from './refresh-sharing';
import { memoryStore, type SharedStore } from './shared-store';

// A deployed instance's counters, code windows and records live in Redis under these keys: an
// upgrade that wrote other keys would forget them (and start every limit afresh). So a few are
// pinned here byte for byte, as the release that first wrote them wrote them.

afterEach(() => {
  vi.restoreAllMocks();
});

const env = parseEnv({ NODE_ENV: 'test', SESSION_SECRET: 'a-fixed-secret-of-the-key-test-4f9c2e7b1d' });

/** A memory store that remembers every key it was asked about. */
function recordingStore(): { store: SharedStore; keys: Set<string> } {
  const inner = memoryStore();
  const keys = new Set<string>();
  const seen = (...names: readonly string[]) => names.forEach((name) => keys.add(name));
  const store: SharedStore = {
    countAll: (counters) => (seen(...counters.map((c) => c.key)), inner.countAll(counters)),
    uncount: (names) => (seen(...names), inner.uncount(names)),
    peek: (names) => (seen(...names), inner.peek(names)),
    get: (key) => (seen(key), inner.get(key)),
    set: (key, value, ms) => (seen(key), inner.set(key, value, ms)),
    claim: (key, ms) => (seen(key), inner.claim(key, ms)),
    delete: (key) => (seen(key), inner.delete(key)),
    raise: (key, value) => (seen(key), inner.raise(key, value)),
  };
  return { store, keys };
}

describe("the shared store's keys", () => {
  it("are the limits', the code ledger's and the provider refusals' of earlier releases", async () => {
    const { store, keys } = recordingStore();
    await createLimiter(env, store).take([
      ['sendsPerIp', '203.0.113.7'],
      ['codesPerPhoneDay', '+447400123456'],
    ]);
    const codes = createCodeLedger(env, store);
    await codes.open('+447400123456', { codeId: 'code-1', startedAt: Date.now() });
    await codes.spend('code-1');
    const providerRefusals = createProviderRefusals(env, store);
    await providerRefusals.remember({ code: 'upstream_unavailable', tookMs: 5 });
    await providerRefusals.remember({ code: 'country_not_allowed', tookMs: 5 }, 'GB');
    expect([...keys].sort()).toEqual([
      '{sms-sign-in}:codesPerPhoneDay:zZopDklruHepvsMMa44fok',
      '{sms-sign-in}:provider-refusal:m8S0kLH7Xviyq09wAy9h5G',
      '{sms-sign-in}:provider-refusal:rlXlk4rT__FVzEsmrFfxGJ',
      '{sms-sign-in}:sendsPerIp:pdCHy09Okk6IVG4UmPmL6v',
      '{sms-sign-in}:spent:yStjmfXdDwNHd1nNyjNi2I',
      '{sms-sign-in}:window:zZopDklruHepvsMMa44fok',
    ]);
  });

  it("are the delivery records', their samples' and the report nonces' of earlier releases", async () => {
    const { store, keys } = recordingStore();
    const deliveries = createDeliveryReports(env, store);
    await deliveries.expect('delivery-1', 'reported', { channel: 'voice', country: 'GB' });
    await deliveries.report('delivery-1', { state: 'sent' });
    await deliveries.firstSighting('nonce0001');
    expect([...keys].sort()).toEqual([
      '{sms-sign-in}:delivery-samples:voice:learned',
      '{sms-sign-in}:delivery-samples:voice:pending',
      '{sms-sign-in}:delivery:delivery-1',
      '{sms-sign-in}:report-nonce:nonce0001',
    ]);
  });

  it("are the test numbers' and the shared refreshes' of earlier releases", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined); // the spent budget's notice
    const { store, keys } = recordingStore();
    const plivo: Verifier = {
      sendCode: () => Promise.reject(new Error('a test number never reaches Plivo')),
      reportsDelivery: () => true,
      checkCode: () => Promise.reject(new Error('a test number never reaches Plivo')),
      ping: async () => undefined,
    };
    const pacer = { mark: () => 0, imitate: async () => undefined } as unknown as Pacer;
    const numbers = new Map([['+447400123457', '135790']]);
    const verifier = withTestNumbers(plivo, {
      numbers,
      store,
      pacer,
      lifetimeSeconds: 600,
      budget: { wrongCodes: 1, secret: env.SESSION_SECRET },
    });
    const { codeId } = await verifier.sendCode('+447400123457', 'sms', 'en', 'delivery-1');
    expect(await verifier.checkCode(codeId, '000000')).toBe('wrong_code');
    const credential = { strategy: 'session', token: 'old', expiresAt: 2, refreshAt: 1 } as HeldCredential;
    await createSharedRefresh(env, store).once(credential, async () => credential);
    expect([...keys].sort()).toEqual([
      expect.stringMatching(/^\{sms-sign-in\}:refreshed:[\w-]{22}$/),
      expect.stringMatching(/^\{sms-sign-in\}:refreshing:[\w-]{22}$/),
      '{sms-sign-in}:test-number-spent:6Ngjsa_CV5LggEgwPQkDax',
      '{sms-sign-in}:test-number-wrong-codes:6Ngjsa_CV5LggEgwPQkDax',
      '{sms-sign-in}:test-number:0',
      `{sms-sign-in}:test-session:${codeId}`,
    ]);
  });
});
