import { webcrypto } from 'node:crypto';

import { describe, expect, it, vi } from 'vitest';

import { parseEnv } from './env';
import { sessionSealer, type SessionData } from './session-seal';

const A = 'a'.repeat(16) + 'secret-number-one-0123456789';
const B = 'b'.repeat(16) + 'secret-number-two-0123456789';
const envWith = (current: string, previous: string[] = []) =>
  parseEnv({ NODE_ENV: 'test', SESSION_SECRET: current, SESSION_SECRETS_PREVIOUS: previous.join(',') });
const data: SessionData = {
  user: { id: 'user-1', signedInAt: 1_764_000_000_000, credential: { strategy: 'static', token: 'credential' } },
};

describe('sessionSealer', () => {
  it('round-trips session data', async () => {
    const sealer = sessionSealer(envWith(A));
    expect(await sealer.open(await sealer.seal(data))).toEqual(data);
  });

  it('reads a tampered cookie as signed out', async () => {
    const sealer = sessionSealer(envWith(A));
    const sealed = await sealer.seal(data);
    const flipped = sealed.slice(0, 40) + (sealed[40] === 'A' ? 'B' : 'A') + sealed.slice(41);
    expect(await sealer.open(flipped)).toEqual({});
    expect(await sealer.open('garbage')).toEqual({});
    expect(await sealer.open(undefined)).toEqual({});
  });

  it('reads a cookie sealed with a foreign secret as signed out', async () => {
    const sealed = await sessionSealer(envWith(B)).seal(data);
    expect(await sessionSealer(envWith(A)).open(sealed)).toEqual({});
  });

  it('opens cookies sealed with a previous secret, in any list order, and seals with the current one', async () => {
    const old = await sessionSealer(envWith(A)).seal(data);
    const rotated = sessionSealer(envWith(B, [A]));
    expect(await rotated.open(old)).toEqual(data);
    expect(await sessionSealer(envWith(B, ['c'.repeat(40), A])).open(old)).toEqual(data);
    const fresh = await rotated.seal(data);
    expect(await sessionSealer(envWith(B)).open(fresh)).toEqual(data);
    expect(await sessionSealer(envWith(A)).open(fresh)).toEqual({});
  });

  it('reads data of an unexpected shape as signed out', async () => {
    const sealer = sessionSealer(envWith(A));
    const sealed = await sealer.seal({ user: { id: 1 } } as unknown as SessionData);
    expect(await sealer.open(sealed)).toEqual({});
  });

  it('derives no key per cookie: sealing and opening run no PBKDF2', async () => {
    const sealer = sessionSealer(envWith(A));
    const derive = vi.spyOn(webcrypto.subtle, 'deriveKey');
    try {
      expect(await sealer.open(await sealer.seal(data))).toEqual(data);
      expect(derive).not.toHaveBeenCalled();
    } finally {
      derive.mockRestore();
    }
  });
});
