// The HTTP API's shapes (docs/api.md), shared by the route handlers and the browser code.
// Mostly types, which cost zero bytes in the client bundle; CHANNELS is the one runtime list.

export type ErrorCode =
  | 'invalid_request'
  | 'invalid_phone'
  | 'country_not_allowed'
  | 'forbidden_origin'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'no_pending_verification'
  | 'invalid_code'
  | 'code_expired'
  | 'too_many_attempts'
  | 'invalid_first_name'
  | 'unauthorized'
  | 'forbidden'
  | 'path_not_allowed'
  | 'not_found'
  | 'internal_error'
  // Plivo's delivery status callbacks (POST /api/plivo/status/…), which only Plivo calls.
  | 'callback_unsigned'
  | 'callback_signature_invalid'
  | 'callback_replayed'
  | 'callback_stale'
  // Open sign-up's defences: the proof-of-work check (each refusal carries a fresh `botCheck`
  // challenge to solve and retry with) and the conversion breaker.
  | 'bot_check_required'
  | 'bot_check_invalid'
  | 'bot_check_expired'
  | 'bot_check_replayed'
  | 'bot_check_too_easy'
  | 'country_paused'
  // Passkeys (the `session` strategy's extension verifies them).
  | 'passkeys_unavailable'
  | 'passkey_refused'
  | 'recent_sign_in_required'
  | 'passkey_not_added'
  | 'passkey_not_found'
  | 'invalid_passkey_name';

/** A proof-of-work challenge (ALTCHA's, PBKDF2/SHA-256), signed by the server. */
export type BotCheckChallenge = {
  parameters: {
    algorithm: string;
    nonce: string;
    salt: string;
    cost: number;
    keyLength: number;
    keyPrefix: string;
    expiresAt?: number;
    data?: Record<string, string | number | boolean | null>;
  };
  signature?: string;
};

export type ApiErrorBody = {
  error: {
    code: ErrorCode;
    message: string;
    retryAfter?: number;
    attemptsLeft?: number;
    botCheck?: BotCheckChallenge;
  };
};

/** How a code reaches the phone; the one list the route schemas, the cookie and the emulator use. */
export const CHANNELS = ['sms', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

export type CodeSentResponse = {
  status: 'code_sent';
  phone: string;
  channel: Channel;
  resendAfter: number;
  expiresIn: number;
};

export type UserProfile = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
};

export type SignedInResponse = {
  status: 'signed_in';
  user: UserProfile;
  redirectTo: string;
};
export type FirstNameSavedResponse = {
  status: 'saved';
  user: UserProfile;
  redirectTo: string;
};
export type SignedOutResponse = { status: 'signed_out' };
export type SessionResponse = { signedIn: true; user: UserProfile } | { signedIn: false };

/** Why a code did not reach the phone: Plivo's Geo Permissions (450), fraud threshold (451), Fraud Shield (452), or the network. */
export type DeliveryFailure = 'country_blocked' | 'fraud_threshold' | 'fraud_shield' | 'undelivered';

/**
 * How the latest delivery of the pending code is doing (GET /api/auth/delivery). `unknown` when
 * the app receives no delivery reports (no public APP_URL for Plivo to call back).
 */
export type DeliveryResponse = { delivery: 'sending' | 'sent' | 'delivered' | 'unknown' } | { delivery: 'failed'; reason: DeliveryFailure };

/**
 * WebAuthn options as JSON (PublicKeyCredentialRequestOptionsJSON for a sign-in,
 * PublicKeyCredentialCreationOptionsJSON to add one), for @simplewebauthn/browser's
 * startAuthentication / startRegistration({ optionsJSON }).
 */
export type PasskeyOptionsJson = { challenge: string } & Record<string, unknown>;
export type PasskeyOptionsResponse = { options: PasskeyOptionsJson };

/** The browser's answer (PublicKeyCredential.toJSON(), what @simplewebauthn/browser resolves with), relayed as it is. */
export type PasskeyCredentialJson = { id: string; response: Record<string, unknown> } & Record<string, unknown>;

/** One of the signed-in person's passkeys. */
export type Passkey = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Synced by its provider (iCloud Keychain, Google Password Manager…): its backup state. */
  backedUp: boolean;
};
export type PasskeyListResponse = { passkeys: Passkey[] };
export type PasskeyResponse = { passkey: Passkey };
export type PasskeyRemovedResponse = { status: 'removed' };
