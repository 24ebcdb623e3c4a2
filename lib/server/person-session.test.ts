import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { asPerson } from './as-person';
import { ApiError } from './errors';
import { endSignIn, signedInPerson } from './person-session';
import type { SessionData } from './session';
import { ADA, fakeDeps, IP } from './sign-in/fakes.test-support';
import { startSignIn } from './sign-in/start';
import { verifyCode } from './sign-in/verify';

// The cookie as Next gives it: readable everywhere, writable only in route handlers and server actions.
const jar = vi.hoisted(() => ({ session: {} as SessionData, writable: true, writes: 0, deps: undefined as unknown }));
vi.mock('./session', () => ({
  readSession: async () => jar.session,
  writeSession: async (data: SessionData) => {
    if (!jar.writable) throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
    jar.writes += 1;
    jar.session = data;
  },
}));
vi.mock('./sign-in-deps', () => ({ getSignInDeps: () => jar.deps }));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'TestBrowser/1.0' }) }));

let fake: ReturnType<typeof fakeDeps>;

beforeEach(async () => {
  fake = fakeDeps();
  jar.deps = fake.deps;
  const { session } = await startSignIn(fake.deps, {}, { phone: ADA.phone!, ip: IP });
  jar.session = (await verifyCode(fake.deps, session, { code: '123456', ip: IP, userAgent: null })).session;
  Object.assign(jar, { writable: true, writes: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

const tokenNow = () => jar.session.user?.credential.token;

describe('signedInPerson', () => {
  it('gives the person and their Authorization header, and writes nothing while the credential is fresh', async () => {
    const person = await signedInPerson();
    expect(person?.user.id).toBe(ADA.id);
    expect(person?.authorization).toBe(`Bearer ${tokenNow()}`);
    expect(jar.writes).toBe(0);
  });

  it('refreshes a due credential where the cookie can be written, and renews the cookie', async () => {
    const before = tokenNow();
    fake.advance(31 * 60);
    const person = await signedInPerson();
    expect(fake.credentials.refreshes).toBe(1);
    expect(tokenNow()).not.toBe(before);
    expect(person?.authorization).toBe(`Bearer ${tokenNow()}`);
  });

  it('never refreshes in a server component, where the rotated credential could not be kept', async () => {
    const before = tokenNow();
    fake.advance(31 * 60);
    jar.writable = false;
    const person = await signedInPerson();
    expect(fake.credentials.refreshes).toBe(0);
    expect(person?.authorization).toBe(`Bearer ${before}`); // still good until it expires
  });

  it('is signed out past the absolute lifetime, cookie writable or not', async () => {
    fake.advance(24 * 60 * 60);
    jar.writable = false;
    expect(await signedInPerson()).toBeUndefined();
    jar.writable = true;
    expect(await signedInPerson()).toBeUndefined();
    expect(jar.session.user).toBeUndefined();
  });

  it('is signed out with a credential of the other strategy', async () => {
    jar.session = { user: { ...jar.session.user!, credential: { strategy: 'static', token: 'x' } } };
    fake.deps.credentials.authorization = ({ credential }) =>
      credential.strategy === 'session' ? `Bearer ${credential.token}` : undefined;
    expect(await signedInPerson()).toBeUndefined();
  });
});

describe('endSignIn', () => {
  it('clears the credential and keeps nothing else but a pending code', async () => {
    await endSignIn();
    expect(jar.session).toEqual({ pending: undefined });
  });

  it('leaves a server component’s read-only cookie alone without failing', async () => {
    jar.writable = false;
    await expect(endSignIn()).resolves.toBeUndefined();
    expect(jar.session.user).toBeDefined();
  });
});

describe('asPerson', () => {
  it('hands `work` the person and answers its value', async () => {
    const result = await asPerson(async (_directus, user) => user.id);
    expect(result).toEqual({ kind: 'signed_in', value: ADA.id });
  });

  it('answers signed_out without calling `work` when nobody is signed in', async () => {
    jar.session = {};
    const work = vi.fn();
    expect(await asPerson(work)).toEqual({ kind: 'signed_out' });
    expect(work).not.toHaveBeenCalled();
  });

  it('reads a Directus 401 inside `work` as signed out, and clears the cookie', async () => {
    const result = await asPerson(async () => {
      throw new ApiError('unauthorized');
    });
    expect(result).toEqual({ kind: 'signed_out' });
    expect(jar.session.user).toBeUndefined();
  });

  it('answers other refusals as errors, and lets bugs through', async () => {
    const refused = await asPerson(async () => {
      throw new ApiError('forbidden');
    });
    expect(refused.kind === 'error' && refused.error.code).toBe('forbidden');
    await expect(asPerson(async () => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });
});
