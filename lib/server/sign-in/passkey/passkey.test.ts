import { afterEach, describe, expect, it, vi } from 'vitest';

import type { PasskeyCredentialJson } from '@/lib/api-contract';
import { SignInFailure } from '../../errors';
import { ADA, fakeDeps, IP, rejection } from '../fakes.test-support';
import type { SessionData } from '../ports';
import { startSignIn } from '../sms/start';
import { verifyCode } from '../sms/verify';
import { addPasskey, listPasskeys, removePasskey, renamePasskey, startAddingPasskey } from './manage';
import { signInWithPasskey, startPasskeySignIn } from './sign-in';

afterEach(() => {
  vi.useRealTimers();
});

type Fake = ReturnType<typeof fakeDeps>;

/** The fake's answer to a ceremony: the passkey's id and the challenge the options carried. */
const answer = (id: string, challenge: string): PasskeyCredentialJson => ({ id, response: { challenge } });

async function smsSignedIn(fake: Fake): Promise<SessionData> {
  const { session } = await startSignIn(fake.deps, {}, { phone: ADA.phone!, ip: IP });
  return (await verifyCode(fake.deps, session, { code: '123456', ip: IP, userAgent: 'TestBrowser/1.0' })).session;
}

async function withPasskey(fake: Fake, id = 'passkey-1'): Promise<SessionData> {
  const session = await smsSignedIn(fake);
  const started = await startAddingPasskey(fake.deps, session, { ip: IP });
  return (await addPasskey(fake.deps, started.session, { response: answer(id, started.body.options.challenge), name: 'Laptop' })).session;
}

async function passkeySignIn(fake: Fake, id = 'passkey-1', session: SessionData = {}) {
  const started = await startPasskeySignIn(fake.deps, session, { ip: IP });
  expect(started.session.passkey).toEqual({ ceremony: expect.any(String), purpose: 'sign_in' });
  // The ceremony's id stays in the cookie; the browser gets only the options.
  expect(JSON.stringify(started.body)).not.toContain(started.session.passkey!.ceremony);
  return signInWithPasskey(fake.deps, started.session, {
    response: answer(id, started.body.options.challenge),
    ip: IP,
    userAgent: 'Phone/1.0',
  });
}

describe('a passkey sign-in', () => {
  it('signs the member in like a code does, and keeps no ceremony', async () => {
    const fake = fakeDeps();
    await withPasskey(fake);
    const { session, body } = await passkeySignIn(fake);
    expect(body).toEqual({ status: 'signed_in', user: ADA, redirectTo: '/account' });
    expect(session).toEqual({ user: { id: ADA.id, signedInAt: Date.now(), credential: expect.objectContaining({ strategy: 'session' }) } });
    expect(fake.calls).toContain('issue on a passkey');
  });

  it('is refused alike without a ceremony, with an unknown passkey, for a suspended member, and with a used challenge', async () => {
    const fake = fakeDeps();
    await withPasskey(fake);
    const noCeremony = await rejection(signInWithPasskey(fake.deps, {}, { response: answer('passkey-1', 'x'), ip: IP, userAgent: null }));
    expect(noCeremony.code).toBe('passkey_refused');

    const unknown = await rejection(passkeySignIn(fake, 'passkey-unknown'));
    expect(unknown).toBeInstanceOf(SignInFailure);
    expect(unknown).toMatchObject({ code: 'passkey_refused', session: {} });

    const started = await startPasskeySignIn(fake.deps, {}, { ip: IP });
    const response = answer('passkey-1', started.body.options.challenge);
    await signInWithPasskey(fake.deps, started.session, { response, ip: IP, userAgent: null });
    // The same cookie again (a replay): its ceremony is used up at the extension.
    expect((await rejection(signInWithPasskey(fake.deps, started.session, { response, ip: IP, userAgent: null }))).code).toBe(
      'passkey_refused',
    );

    fake.members.get(ADA.id)!.active = false;
    expect((await rejection(passkeySignIn(fake))).code).toBe('passkey_refused');
    // An add ceremony does not sign in.
    expect(
      (
        await rejection(
          signInWithPasskey(fake.deps, { passkey: { ceremony: 'c', purpose: 'register' } }, { response, ip: IP, userAgent: null }),
        )
      ).code,
    ).toBe('passkey_refused');
  });

  it('is limited per client address: options and sign-ins', async () => {
    const fake = fakeDeps({ env: { LIMIT_PASSKEY_OPTIONS_PER_IP_10_MIN: '2', LIMIT_PASSKEY_SIGN_INS_PER_IP_10_MIN: '1' } });
    await startPasskeySignIn(fake.deps, {}, { ip: '198.51.100.1' });
    const second = await startPasskeySignIn(fake.deps, {}, { ip: '198.51.100.1' });
    expect(await rejection(startPasskeySignIn(fake.deps, {}, { ip: '198.51.100.1' }))).toMatchObject({
      code: 'rate_limited',
      extra: { retryAfter: 600 },
    });
    const tryOnce = () =>
      signInWithPasskey(fake.deps, second.session, { response: answer('nobody', 'x'), ip: '198.51.100.1', userAgent: null });
    expect((await rejection(tryOnce())).code).toBe('passkey_refused');
    // The same cookie again: counted before the extension is asked, and its ceremony dropped.
    expect(await rejection(tryOnce())).toMatchObject({ code: 'rate_limited', session: {} });
    // Another address has its own allowance.
    expect((await startPasskeySignIn(fake.deps, {}, { ip: '198.51.100.2' })).body.options.challenge).toEqual(expect.any(String));
  });

  it('is off where the credential strategy has no passkeys', async () => {
    const fake = fakeDeps({ passkeys: false });
    expect((await rejection(startPasskeySignIn(fake.deps, {}, { ip: IP }))).code).toBe('passkeys_unavailable');
    expect(
      (
        await rejection(
          signInWithPasskey(
            fake.deps,
            { passkey: { ceremony: 'c', purpose: 'sign_in' } },
            { response: answer('a', 'b'), ip: IP, userAgent: null },
          ),
        )
      ).code,
    ).toBe('passkeys_unavailable');
    expect((await rejection(listPasskeys(fake.deps, await smsSignedIn(fake)))).code).toBe('passkeys_unavailable');
  });
});

describe("the member's passkeys", () => {
  it('adds one after a recent SMS sign-in, then lists, renames and removes it', async () => {
    const fake = fakeDeps();
    const session = await withPasskey(fake);
    expect(session.passkey).toBeUndefined();
    expect(await listPasskeys(fake.deps, session)).toEqual([
      { id: 'passkey-1', name: 'Laptop', createdAt: new Date().toISOString(), lastUsedAt: null, backedUp: false },
    ]);
    expect((await renamePasskey(fake.deps, session, { id: 'passkey-1', name: ' Work laptop ' })).body.passkey.name).toBe('Work laptop');
    expect((await rejection(renamePasskey(fake.deps, session, { id: 'passkey-1', name: '   ' }))).code).toBe('invalid_passkey_name');
    expect((await removePasskey(fake.deps, session, { id: 'passkey-1' })).body).toEqual({ status: 'removed' });
    expect((await rejection(removePasskey(fake.deps, session, { id: 'passkey-1' }))).code).toBe('passkey_not_found');
    expect(await listPasskeys(fake.deps, session)).toEqual([]);
    // Removed: it signs nobody in.
    expect((await rejection(passkeySignIn(fake))).code).toBe('passkey_refused');
  });

  it('needs a recent SMS sign-in to add one: not a passkey sign-in, not an old one', async () => {
    const fake = fakeDeps();
    await withPasskey(fake);
    const byPasskey = (await passkeySignIn(fake)).session;
    expect((await rejection(startAddingPasskey(fake.deps, byPasskey, { ip: IP }))).code).toBe('recent_sign_in_required');
    fake.advance(31); // the resend cooldown of the first code
    const bySms = await smsSignedIn(fake);
    fake.advance(601);
    expect((await rejection(startAddingPasskey(fake.deps, bySms, { ip: IP }))).code).toBe('recent_sign_in_required');
    expect((await rejection(startAddingPasskey(fake.deps, {}, { ip: IP }))).code).toBe('unauthorized');
  });

  it('drops the ceremony whatever adding answers, and signs out a person Directus no longer accepts', async () => {
    const fake = fakeDeps();
    const session = await smsSignedIn(fake);
    const started = await startAddingPasskey(fake.deps, session, { ip: IP });
    const refused = await rejection(addPasskey(fake.deps, started.session, { response: answer('passkey-1', 'wrong challenge') }));
    expect(refused).toMatchObject({ code: 'passkey_not_added', session: { user: session.user } });
    expect((refused as SignInFailure).session.passkey).toBeUndefined();
    expect((await rejection(addPasskey(fake.deps, session, { response: answer('passkey-1', 'x') }))).code).toBe('passkey_not_added');

    const again = await startAddingPasskey(fake.deps, session, { ip: IP });
    fake.members.get(ADA.id)!.active = false;
    const signedOut = await rejection(
      addPasskey(fake.deps, again.session, { response: answer('passkey-2', again.body.options.challenge) }),
    );
    expect(signedOut).toMatchObject({ code: 'unauthorized', session: {} });
    expect(await rejection(listPasskeys(fake.deps, session))).toMatchObject({ code: 'unauthorized', session: {} });
  });
});
