// Asks Plivo about one Verify session: GET {api}/v1/Account/{auth_id}/Verify/Session/{uuid}/
// with Basic auth and a timeout. Plain fetch, not the SDK: one request, and errors we can name.
import type { PlivoSettings } from './config';
import { SignInError } from './errors';

export interface PlivoLookup {
  /** The session JSON, or null when Plivo does not know the uuid (404). */
  session: unknown;
}

/** A Plivo answer we cannot use; the message is for the log and carries no secret. */
export class PlivoFailure extends SignInError {
  constructor(
    code: 'plivo_timeout' | 'plivo_error',
    readonly detail: string,
  ) {
    super(code);
  }
}

function sessionUrl(settings: PlivoSettings, uuid: string): string {
  // The trailing slash is required by Plivo.
  return `${settings.apiUrl}/v1/Account/${encodeURIComponent(settings.authId)}/Verify/Session/${encodeURIComponent(uuid)}/`;
}

export async function fetchVerifySession(settings: PlivoSettings, uuid: string): Promise<PlivoLookup> {
  const authorization = `Basic ${Buffer.from(`${settings.authId}:${settings.authToken}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetch(sessionUrl(settings, uuid), {
      headers: { Authorization: authorization, Accept: 'application/json' },
      signal: AbortSignal.timeout(settings.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    if (isTimeout(error)) throw new PlivoFailure('plivo_timeout', `no answer within ${settings.timeoutMs} ms`);
    throw new PlivoFailure('plivo_error', `request failed (${errorCause(error)})`);
  }
  if (response.status === 404) return { session: null };
  if (response.status === 401 || response.status === 403) {
    throw new PlivoFailure(
      'plivo_error',
      `Plivo refused the credentials (HTTP ${response.status}): check SMS_SIGN_IN_PLIVO_AUTH_ID and SMS_SIGN_IN_PLIVO_AUTH_TOKEN`,
    );
  }
  if (!response.ok) throw new PlivoFailure('plivo_error', `HTTP ${response.status}`);
  try {
    return { session: await response.json() };
  } catch (error) {
    if (isTimeout(error)) throw new PlivoFailure('plivo_timeout', `body not complete within ${settings.timeoutMs} ms`);
    throw new PlivoFailure('plivo_error', 'the body is not JSON');
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function errorCause(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.name : 'unknown';
}
