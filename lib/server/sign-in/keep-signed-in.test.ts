import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseEnv } from '../env';
import { memoryStore } from '../limit-store';
import { createSharedRefresh } from '../refresh-sharing';
import { listDevices, signOutOtherDevices } from './devices';
import { ADA, fakeDeps, IP } from './fakes.test-support';
import { keepSignedIn } from './keep-signed-in';
import type { Credential } from './ports';
import { startSignIn } from './start';
import { verifyCode } from './verify';

afterEach(() => {
  vi.useRealTimers();
});

type Fake = ReturnType<typeof fakeDeps>;
const DEVICE = { userAgent: 'TestBrowser/1.0' };

async function signedIn(fake: Fake, userAgent = 'TestBrowser/1.0') {
  const { session } = await startSignIn(fake.deps, {}, { phone: ADA.phone!, ip: IP });
  const result = await verifyCode(fake.deps, session, { code: '123456', ip: IP, userAgent });
  await fake.deps.limiter.giveBack([['resendCooldown', ADA.phone!]]);
  return result.session;
}

describe('keepSignedIn', () => {
  it('leaves a credential alone until it is due, then refreshes it', async () => {
    const fake = fakeDeps();
    const session = await signedIn(fake);
    fake.advance(29 * 60);
    expect(await keepSignedIn(fake.deps, session, DEVICE)).toBe(session);
    fake.advance(60);
    const kept = await keepSignedIn(fake.deps, session, DEVICE);
    expect(kept.user?.credential).toMatchObject({ strategy: 'session', token: 'token-2' });
    expect(fake.credentials.refreshes).toBe(1);
    expect(fake.sessions.get('token-2')?.userAgent).toBe('TestBrowser/1.0'); // still this browser
  });

  it('refreshes once for 20 requests of one device at the same time, and gives all of them the result', async () => {
    const fake = fakeDeps();
    const session = await signedIn(fake);
    fake.advance(31 * 60);
    const kept = await Promise.all(Array.from({ length: 20 }, () => keepSignedIn(fake.deps, session, DEVICE)));
    expect(fake.credentials.refreshes).toBe(1);
    expect(new Set(kept.map((k) => JSON.stringify(k.user)))).toHaveLength(1);
    expect(kept[0]!.user?.credential).toMatchObject({ token: 'token-2' });
  });

  it('signs out when Directus refuses the refresh', async () => {
    const fake = fakeDeps();
    const session = await signedIn(fake);
    fake.sessions.clear(); // ended in Directus
    fake.advance(31 * 60);
    expect(await keepSignedIn(fake.deps, session, DEVICE)).toEqual({ pending: undefined });
  });

  it('ends a sign-in at its absolute lifetime, however fresh its credential', async () => {
    const fake = fakeDeps({ env: { SESSION_MAX_AGE_SECONDS: '3600' } });
    const session = await signedIn(fake);
    fake.advance(3600);
    expect(await keepSignedIn(fake.deps, session, DEVICE)).toEqual({ pending: undefined });
    expect(fake.sessions.size).toBe(0);
  });

  it('never refreshes a credential without an expiry of its own (a static token)', async () => {
    const fake = fakeDeps();
    const session = { user: { id: ADA.id, signedInAt: Date.now(), credential: { strategy: 'static', token: 't' } as const } };
    fake.advance(86_000);
    expect(await keepSignedIn(fake.deps, session, DEVICE)).toBe(session);
    expect(fake.credentials.refreshes).toBe(0);
  });
});

describe('createSharedRefresh', () => {
  const credential: Credential = { strategy: 'session', token: 'old', expiresAt: 2, refreshAt: 1 };
  const env = parseEnv({});

  it('refreshes once for two instances sharing a store, and both get the result', async () => {
    const store = memoryStore();
    const [one, two] = [createSharedRefresh(env, store), createSharedRefresh(env, store)];
    let calls = 0;
    const refresh = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 120));
      return { ...credential, token: 'new' };
    };
    const results = await Promise.all([one.once(credential, refresh), two.once(credential, refresh)]);
    expect(calls).toBe(1);
    expect(results.map((r) => r && 'token' in r && r.token)).toEqual(['new', 'new']);
  });

  it('shares a refusal too, and lets the next caller try again after a failure', async () => {
    const store = memoryStore();
    const shared = createSharedRefresh(env, store);
    await expect(shared.once(credential, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await shared.once(credential, async () => undefined)).toBeUndefined();
    expect(await createSharedRefresh(env, store).once(credential, async () => ({ ...credential, token: 'late' }))).toBeUndefined();
  });
});

describe('devices', () => {
  it("lists this person's devices with this one marked, and signs out only the others", async () => {
    const fake = fakeDeps({ env: { OTP_RESEND_AFTER_SECONDS: '0' } });
    const phone = await signedIn(fake, 'Phone/1.0');
    const laptop = await signedIn(fake, 'Laptop/1.0');
    const devices = await listDevices(fake.deps, laptop);
    expect(devices?.map((d) => [d.userAgent, d.current])).toEqual([
      ['Phone/1.0', false],
      ['Laptop/1.0', true],
    ]);
    await signOutOtherDevices(fake.deps, laptop);
    expect((await listDevices(fake.deps, laptop))?.map((d) => d.userAgent)).toEqual(['Laptop/1.0']);
    expect(await fake.deps.credentials.readProfile(phone.user!)).toBeUndefined();
  });
});
