import 'server-only';

import { cookies } from 'next/headers';

import { getEnv } from './env';
import { sessionCookie, sessionSealer, type SessionData } from './session-seal';

export type { PendingVerification, SessionData } from './session-seal';

export async function readSession(): Promise<SessionData> {
  const env = getEnv();
  const jar = await cookies();
  return sessionSealer(env).open(jar.get(sessionCookie(env).name)?.value);
}

/** Replaces the session; an empty one removes the cookie. Route handlers only. */
export async function writeSession(data: SessionData): Promise<void> {
  const env = getEnv();
  const jar = await cookies();
  const { name, options, ttl } = sessionCookie(env);
  if (!data.pending && !data.user) {
    jar.delete({ name, ...options });
    return;
  }
  jar.set(name, await sessionSealer(env).seal(data), { ...options, maxAge: ttl });
}
