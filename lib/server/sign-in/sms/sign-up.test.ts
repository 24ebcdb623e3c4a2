import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../errors';
import { ADA, fakeDeps, IP } from '../fakes.test-support';
import type { SessionData } from '../ports';
import { cleanTypedName, saveFirstName } from '../first-name';
import { startSignIn } from './start';
import { verifyCode } from './verify';

afterEach(() => {
  vi.useRealTimers();
});

const OPEN = { env: { SIGN_UP: 'open' } };
const NEW_NUMBER = '+447400999111';
type Fake = ReturnType<typeof fakeDeps>;

const start = (fake: Fake, phone: string) => startSignIn(fake.deps, {}, { phone, ip: IP });
const verify = (fake: Fake, session: SessionData) =>
  verifyCode(fake.deps, session, { code: '123456', ip: IP, userAgent: 'TestBrowser/1.0' });

async function signedUp(fake: Fake) {
  const { session } = await start(fake, NEW_NUMBER);
  return verify(fake, session);
}

describe('sign-up (SIGN_UP=open)', () => {
  it('sends a real code to a number nobody holds, and its verified code makes a member who is asked for a first name', async () => {
    const fake = fakeDeps(OPEN);
    const { session, body } = await start(fake, NEW_NUMBER);
    expect(fake.calls).toEqual([`find ${NEW_NUMBER}`, `send ${NEW_NUMBER} sms`]);
    expect(session.pending).toMatchObject({ decoy: 0, newcomer: 1, phone: NEW_NUMBER });
    expect(body.status).toBe('code_sent');

    const verified = await verify(fake, session);
    expect(fake.calls).toContain(`sign up ${NEW_NUMBER}`);
    const member = [...fake.members.values()].filter((m) => m.phone === NEW_NUMBER);
    expect(member).toHaveLength(1);
    expect(verified.body).toMatchObject({
      status: 'signed_in',
      user: { id: member[0]!.id, phone: NEW_NUMBER, first_name: null },
      redirectTo: '/welcome',
    });
    expect(verified.session.user).toMatchObject({ id: member[0]!.id, needsFirstName: 1 });
  });

  it('signs a member in as before, with no first-name step when they have a name', async () => {
    const fake = fakeDeps(OPEN);
    const { session } = await start(fake, ADA.phone!);
    expect(session.pending).toMatchObject({ decoy: 0, newcomer: 0 });
    const verified = await verify(fake, session);
    expect(fake.calls).toContain('issue user-ada');
    expect(verified.body.redirectTo).toBe('/account');
    expect(verified.session.user?.needsFirstName).toBeUndefined();
  });

  it('sends nothing to a number held by someone who may not sign in (a suspended member)', async () => {
    const fake = fakeDeps(OPEN);
    fake.members.get('user-ada')!.active = false;
    const { session } = await start(fake, ADA.phone!);
    expect(fake.calls).toEqual([`find ${ADA.phone}`]);
    expect(session.pending).toMatchObject({ decoy: 1, newcomer: 0 });
  });

  it('keeps strangers on the decoy path while sign-up is closed (the default)', async () => {
    const fake = fakeDeps();
    const { session } = await start(fake, NEW_NUMBER);
    expect(fake.calls).toEqual([`find ${NEW_NUMBER}`]);
    expect(session.pending).toMatchObject({ decoy: 1, newcomer: 0 });
    await expect(verify(fake, session)).rejects.toMatchObject({ code: 'invalid_code' });
    expect([...fake.members.values()].some((m) => m.phone === NEW_NUMBER)).toBe(false);
  });

  it('gives member and newcomer cookies of the same shape', async () => {
    const fake = fakeDeps(OPEN);
    const member = (await start(fake, ADA.phone!)).session.pending!;
    const newcomer = (await start(fake, NEW_NUMBER)).session.pending!;
    expect(Object.keys(newcomer).sort()).toEqual(Object.keys(member).sort());
    expect(JSON.stringify(newcomer).length - JSON.stringify(member).length).toBe(
      JSON.stringify(NEW_NUMBER).length - JSON.stringify(ADA.phone).length,
    );
  });
});

describe('saveFirstName', () => {
  it('writes the first name and ends the first-name step', async () => {
    const fake = fakeDeps(OPEN);
    const { session } = await signedUp(fake);
    const saved = await saveFirstName(fake.deps, session, { firstName: '  Grace ' });
    expect(saved.body).toMatchObject({ status: 'saved', user: { first_name: 'Grace' }, redirectTo: '/account' });
    expect(saved.session.user).toEqual({ ...session.user, needsFirstName: undefined });
    expect('needsFirstName' in saved.session.user!).toBe(false);
    expect(fake.members.get(session.user!.id)?.first_name).toBe('Grace');
  });

  it('refuses an empty, over-long or control-character name, and anyone signed out', async () => {
    const fake = fakeDeps(OPEN);
    const { session } = await signedUp(fake);
    for (const firstName of ['', '   ', 'x'.repeat(51), 'A\u0007da']) {
      await expect(saveFirstName(fake.deps, session, { firstName })).rejects.toMatchObject({ code: 'invalid_first_name' });
    }
    await expect(saveFirstName(fake.deps, {}, { firstName: 'Grace' })).rejects.toBeInstanceOf(ApiError);
    fake.sessions.clear(); // Directus no longer accepts the credential
    await expect(saveFirstName(fake.deps, session, { firstName: 'Grace' })).rejects.toMatchObject({
      code: 'unauthorized',
      session: { pending: undefined },
    });
  });

  it('keeps names of any script', () => {
    expect(cleanTypedName(' Zoë ')).toBe('Zoë');
    expect(cleanTypedName('明')).toBe('明');
    expect(cleanTypedName('x'.repeat(50))).toHaveLength(50);
  });
});
