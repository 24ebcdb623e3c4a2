import 'server-only';

import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { sealData, unsealData } from 'iron-session';

import type { Env } from './env';
import { ApiError } from './errors';
import type { LimitStore } from './limit-store';
import type { Credential, SharedRefresh } from './sign-in/ports';

/** Longer than a refresh can take, so a crashed refresher does not hold the others for long. */
const LOCK_MS = 10_000;
/** How long one refresh's result serves the requests (and instances) that raced it. */
const GRACE_MS = 30_000;
const POLL_MS = 50;

/**
 * Directus rotates a session on refresh, so two refreshes of one credential would sign the second
 * caller out. The first caller refreshes; the others (in this process, or in other instances
 * through the shared store) wait for its result, which the store keeps sealed with the session
 * secret, because it is a credential.
 */
export function createSharedRefresh(env: Env, store: LimitStore): SharedRefresh {
  const running = new Map<string, Promise<Credential | undefined>>();
  const idOf = (credential: Credential) =>
    createHmac('sha256', env.SESSION_SECRET).update(JSON.stringify(credential)).digest('base64url').slice(0, 22);
  const password = env.SESSION_SECRET;

  async function refreshOnce(id: string, refresh: () => Promise<Credential | undefined>): Promise<Credential | undefined> {
    const resultKey = `{sms-sign-in}:refreshed:${id}`;
    const lockKey = `{sms-sign-in}:refreshing:${id}`;
    const deadline = Date.now() + env.DIRECTUS_TIMEOUT_MS + LOCK_MS;
    for (;;) {
      const done = await store.get(resultKey);
      if (done) return (await unsealData<{ fresh: Credential | null }>(done, { password })).fresh ?? undefined;
      if (await store.claim(lockKey, LOCK_MS)) {
        try {
          const fresh = await refresh();
          await store.set(resultKey, await sealData({ fresh: fresh ?? null }, { password, ttl: GRACE_MS / 1000 }), GRACE_MS);
          return fresh;
        } finally {
          await store.delete(lockKey);
        }
      }
      if (Date.now() > deadline)
        throw new ApiError('upstream_unavailable', {}, { cause: 'a refresh of this credential is still running elsewhere' });
      await sleep(POLL_MS);
    }
  }

  return {
    once(credential, refresh) {
      const id = idOf(credential);
      const inProcess = running.get(id);
      if (inProcess) return inProcess;
      const work = refreshOnce(id, refresh).finally(() => running.delete(id));
      running.set(id, work);
      return work;
    },
  };
}
