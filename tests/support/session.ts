import { parseEnv } from '../../lib/server/env';
import { sessionSealer } from '../../lib/server/session/seal';

/** The Directus credential (token) inside a session cookie value, opened the way the app opens it. */
export async function credentialIn(cookieValue: string | undefined, sessionSecret: string) {
  return (await sessionSealer(parseEnv({ SESSION_SECRET: sessionSecret })).open(cookieValue)).user?.credential.token;
}

/** The pending verification inside a session cookie value, opened the way the app opens it. */
export async function pendingIn(cookieValue: string | undefined, sessionSecret: string) {
  return (await sessionSealer(parseEnv({ SESSION_SECRET: sessionSecret })).open(cookieValue)).pending;
}
