import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { getEnv } from '@/lib/server/env';
import { sessionCookie, sessionSealer } from '@/lib/server/session/seal';
import { proxy } from './proxy';

// What a page navigation costs the session cookie: the proxy reads it once, however many of its
// decisions (the first-name step, a renewal) need it.

afterEach(() => {
  vi.restoreAllMocks();
});

async function navigate(path: string, session: Parameters<ReturnType<typeof sessionSealer>['seal']>[0]) {
  const env = getEnv();
  const sealer = sessionSealer(env);
  const cookie = `${sessionCookie(env).name}=${await sealer.seal(session)}`;
  const opens = vi.spyOn(sealer, 'open');
  const response = await proxy(new NextRequest(new URL(path, env.APP_URL), { headers: { cookie } }));
  return { response, opens: opens.mock.calls.length };
}

describe('proxy', () => {
  const signedIn = (extra: { needsFirstName?: 1 } = {}) => ({
    user: { id: 'user-1', signedInAt: Date.now(), credential: { strategy: 'static' as const, token: 'credential' }, ...extra },
  });

  it('opens the session cookie once for a protected page it lets through', async () => {
    const { response, opens } = await navigate('/members', signedIn());
    expect(response.headers.get('location')).toBeNull();
    expect(opens).toBe(1);
  });

  it('opens the session cookie once to send a newcomer to the first-name step', async () => {
    const { response, opens } = await navigate('/account', signedIn({ needsFirstName: 1 }));
    expect(new URL(response.headers.get('location')!).pathname).toBe('/welcome');
    expect(opens).toBe(1);
  });
});
