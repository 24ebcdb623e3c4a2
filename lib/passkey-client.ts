// The browser's side of passkeys: our options routes, then the WebAuthn ceremony through
// @simplewebauthn/browser, then the answer back to us. The library is imported only here and only
// when a ceremony starts, so no page's first load carries it.
import { postJson, type ApiResult, type CeremonyFailure } from '@/lib/api-client';
import type { Passkey, PasskeyOptionsJson, PasskeyOptionsResponse, PasskeyResponse, SignedInResponse } from '@/lib/api-contract';

const loadBrowserLibrary = () => import('@simplewebauthn/browser');

/**
 * Whether this browser can do a WebAuthn ceremony for the relying party `rpId` on this page: a
 * browser refuses a page whose host is not the RP ID or under it (an IP address, another domain).
 */
export function pageCanUsePasskeys(rpId: unknown): boolean {
  return browserHasWebAuthn() && hostIsUnder(window.location.hostname, rpId);
}

/** Whether a page on `host` may use the relying party `rpId`: the host itself or a domain under it. */
export function hostIsUnder(host: string, rpId: unknown): boolean {
  if (typeof rpId !== 'string' || !rpId) return false;
  return host === rpId || host.endsWith(`.${rpId}`);
}

/** Whether the browser could use WebAuthn at all here, before asking the server anything. */
export function browserHasWebAuthn(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext && typeof window.PublicKeyCredential === 'function';
}

/** A DOMException from the browser's ceremony: NotAllowedError and AbortError are the person's own "no". */
export function ceremonyFailure(error: unknown): ApiResult<never> {
  const name = (error as { name?: unknown } | null)?.name;
  const code: CeremonyFailure = name === 'NotAllowedError' || name === 'AbortError' ? 'passkey_cancelled' : 'passkey_failed';
  return { ok: false, error: { code } };
}

/** Asks for sign-in options: a 404 `passkeys_unavailable` means passkeys are off here. */
export function signInOptions(): Promise<ApiResult<PasskeyOptionsResponse>> {
  return postJson<PasskeyOptionsResponse>('/api/auth/passkey/sign-in/options', {});
}

/**
 * Signs in with a passkey for the given options: with `autofill`, through the phone field's
 * suggestions (conditional mediation), which waits until the person picks a passkey there.
 */
export async function signInWithPasskey(
  options: PasskeyOptionsJson,
  { autofill }: { autofill: boolean },
): Promise<ApiResult<SignedInResponse>> {
  const { startAuthentication } = await loadBrowserLibrary();
  let response: unknown;
  try {
    response = await startAuthentication({ optionsJSON: options as never, useBrowserAutofill: autofill });
  } catch (error) {
    return ceremonyFailure(error);
  }
  return postJson<SignedInResponse>('/api/auth/passkey/sign-in', { response });
}

/** Whether conditional mediation (passkeys among the field's suggestions) is there; loads the library. */
export async function browserSupportsAutofill(): Promise<boolean> {
  const { browserSupportsWebAuthnAutofill } = await loadBrowserLibrary();
  return browserSupportsWebAuthnAutofill();
}

/** Whether this device has a platform authenticator (Touch ID, Windows Hello, a phone's lock), without the library. */
export async function deviceHasPlatformAuthenticator(): Promise<boolean> {
  if (!browserHasWebAuthn()) return false;
  try {
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** Adds a passkey to the signed-in person's account: options, the browser's ceremony, then the answer. */
export async function addPasskey(): Promise<ApiResult<Passkey>> {
  const started = await postJson<PasskeyOptionsResponse>('/api/auth/passkey/add/options', {});
  if (!started.ok) return started;
  const { startRegistration } = await loadBrowserLibrary();
  let response: unknown;
  try {
    response = await startRegistration({ optionsJSON: started.data.options as never });
  } catch (error) {
    return ceremonyFailure(error);
  }
  const added = await postJson<PasskeyResponse>('/api/auth/passkey/add', { response });
  return added.ok ? { ok: true, data: added.data.passkey } : added;
}

/** Stops a ceremony under way (the autofill one waits until the page is left). */
export async function abortPasskeyCeremony(): Promise<void> {
  const { WebAuthnAbortService } = await loadBrowserLibrary();
  WebAuthnAbortService.cancelCeremony();
}
