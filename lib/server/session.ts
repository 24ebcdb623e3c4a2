import 'server-only';

import { cookies } from 'next/headers';

import { getEnv, type Env } from './env';
import { sessionSealer, type SessionData } from './session-seal';

export type { PendingVerification, SessionData } from './session-seal';

function cookieSettings(env: Env) {
  const production = env.NODE_ENV === 'production';
  return {
    name: production ? '__Host-sms-sign-in' : 'sms-sign-in',
    options: { httpOnly: true, secure: production, sameSite: 'lax', path: '/' } as const,
    ttl: env.SESSION_MAX_AGE_SECONDS,
  };
}

export async function readSession(): Promise<SessionData> {
  const env = getEnv();
  const jar = await cookies();
  return sessionSealer(env).open(jar.get(cookieSettings(env).name)?.value);
}

/** Replaces the session; an empty one removes the cookie. Route handlers only. */
export async function writeSession(data: SessionData): Promise<void> {
  const env = getEnv();
  const jar = await cookies();
  const { name, options, ttl } = cookieSettings(env);
  if (!data.pending && !data.user) {
    jar.delete({ name, ...options });
    return;
  }
  jar.set(name, await sessionSealer(env).seal(data), { ...options, maxAge: ttl });
}
