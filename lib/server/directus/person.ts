import 'server-only';

import type { Env } from '../env';
import { directusClient, personSdkError } from './client';

/**
 * A typed @directus/sdk client whose every request acts as one person (`authorization`, their
 * credential's header) and fails with an ApiError: `unauthorized` when Directus no longer
 * accepts the credential, `forbidden`/`not_found`/`invalid_request` when it refuses the request,
 * `upstream_unavailable` when it does not answer.
 */
export function personDirectus<Schema extends object>(env: Env, authorization: string) {
  const { client } = directusClient<Schema>(env, { Authorization: authorization });
  const request: typeof client.request = (command) =>
    client.request(command).catch((error: unknown) => {
      throw personSdkError(error);
    });
  return { ...client, request };
}

export type PersonDirectus<Schema extends object> = ReturnType<typeof personDirectus<Schema>>;
