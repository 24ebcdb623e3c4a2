import 'server-only';

import type { Passkey, PasskeyCredentialJson } from '@/lib/api-contract';
import type { StrategyEnv } from '../env';
import { ApiError } from '../errors';
import type { Passkeys, StartedCeremony } from '../sign-in/passkey/ports';
import type { SignedIn } from '../sign-in/ports';
import { unavailable } from './client';
import { DirectusAnswer, extensionClient, type ExtensionClient, type Issued } from './extension';

// The passkey ceremonies of the `session` strategy: the sms-sign-in extension makes and keeps
// each challenge and verifies the browser's answer (extensions/sms-sign-in/README.md, "Passkeys").
// A sign-in goes with the app's key; adding, listing, renaming and removing with the member's own
// session token, as the member routes do.

type ExtensionPasskey = { id: string; name: string; created_at: string; last_used_at: string | null; backed_up: boolean };

function passkeyOf(row: ExtensionPasskey): Passkey {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, backedUp: row.backed_up };
}

/** The extension's named passkey refusals, as the app's errors; undefined for any other answer. */
function namedRefusal(error: unknown): ApiError | undefined {
  if (!(error instanceof DirectusAnswer)) return undefined;
  switch (error.code) {
    case 'passkeys_off':
    case 'passkeys_not_configured':
      return new ApiError('passkeys_unavailable', {}, { cause: `the sms-sign-in extension answered ${error.code}` });
    case 'recent_sign_in_required':
      return new ApiError('recent_sign_in_required');
    case 'registration_refused':
    case 'invalid_ceremony':
    case 'invalid_passkey_response':
      return new ApiError('passkey_not_added');
    case 'passkey_not_found':
    case 'invalid_passkey_id':
      return new ApiError('passkey_not_found');
    case 'invalid_passkey_name':
      return new ApiError('invalid_passkey_name');
    default:
      return undefined;
  }
}

/** Named refusals as the app's errors, a refused credential as undefined (signed out), anything else 503. */
async function ask<T>(extension: ExtensionClient, work: () => Promise<T>): Promise<T | undefined> {
  return extension.unlessRefused(() =>
    work().catch((error: unknown) => {
      throw namedRefusal(error) ?? error;
    }),
  );
}

/**
 * A passkey sign-in (the `session` strategy's issue on a passkey proof): undefined for the
 * extension's one refusal, and for an answer it could not even read (the browser's, relayed as it
 * is: no different from a wrong one for the person).
 */
export async function passkeySignIn(
  extension: ExtensionClient,
  body: { ceremony: string; response: PasskeyCredentialJson; ip: string; user_agent: string | null },
): Promise<{ data: Issued } | undefined> {
  try {
    return await extension.request<Issued>('/sms-sign-in/passkeys/sign-in', { method: 'POST', headers: extension.withKey, body });
  } catch (error) {
    if (error instanceof DirectusAnswer && [400, 401, 403].includes(error.status)) {
      if (error.status === 401) throw new ApiError('upstream_unavailable', {}, { cause: 'directus refused the sms-sign-in extension key' });
      return undefined;
    }
    throw namedRefusal(error) ?? unavailable(error);
  }
}

/** The passkeys adapter of the `session` strategy. */
export function createPasskeys(env: StrategyEnv<'session'>): Passkeys {
  const extension = extensionClient(env);
  const { request, withKey, asMember } = extension;
  const tokenOf = (user: SignedIn) => (user.credential.strategy === 'session' ? user.credential.token : undefined);
  /** As the member: a credential of the other strategy (the setting changed since sign-in) is none: signed out. */
  const asThe = async <T>(user: SignedIn, path: string, init: { method?: string; body?: unknown } = {}): Promise<T | undefined> => {
    const token = tokenOf(user);
    if (!token) return undefined;
    return (await ask(extension, () => request<T>(path, { ...init, headers: asMember(token) })))?.data;
  };

  return {
    async signInOptions() {
      const answer = await ask(extension, () =>
        request<StartedCeremony>('/sms-sign-in/passkeys/sign-in/options', { method: 'POST', headers: withKey, body: {} }),
      );
      if (!answer) throw new ApiError('upstream_unavailable', {}, { cause: 'directus refused the sms-sign-in extension key' });
      return answer.data;
    },

    registerOptions: (user) => asThe<StartedCeremony>(user, '/sms-sign-in/passkeys/register/options', { method: 'POST', body: {} }),

    async register(user, { ceremony, response, name }) {
      const answer = await asThe<{ passkey: ExtensionPasskey }>(user, '/sms-sign-in/passkeys/register', {
        method: 'POST',
        body: { ceremony, response, ...(name === null ? {} : { name }) },
      });
      return answer && passkeyOf(answer.passkey);
    },

    async list(user) {
      const answer = await asThe<{ passkeys: ExtensionPasskey[] }>(user, '/sms-sign-in/passkeys');
      return answer?.passkeys.map(passkeyOf);
    },

    async rename(user, id, name) {
      const answer = await asThe<{ passkey: ExtensionPasskey }>(user, `/sms-sign-in/passkeys/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: { name },
      });
      return answer && passkeyOf(answer.passkey);
    },

    async remove(user, id) {
      const answer = await asThe<{ removed: number }>(user, `/sms-sign-in/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      return answer && answer.removed === 1;
    },
  };
}
