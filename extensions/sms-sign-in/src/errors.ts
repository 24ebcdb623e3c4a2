// Every error the extension answers, in one table: a stable code, its HTTP status and the message.
// Bodies are {"error":{"code","message"}}, the same shape as the app's own API.

export const ERRORS = {
  invalid_app_key: { status: 401, message: 'Missing or wrong X-SMS-Sign-In-Key header.' },
  not_configured: { status: 503, message: 'SMS sign-in is not configured on this Directus; the Directus log names the setting.' },
  phone_field_missing: {
    status: 503,
    message: 'This Directus has no directus_users.phone field yet: run the setup (npm run directus:setup).',
  },
  invalid_body: { status: 400, message: 'The body must be JSON of at most 16 KiB.' },
  invalid_phone: { status: 400, message: 'phone must be an E.164 number, e.g. +447400123456.' },
  invalid_plivo_session_uuid: { status: 400, message: 'plivo_session_uuid must be a UUID.' },
  invalid_ip: { status: 400, message: 'ip must be an IPv4 or IPv6 address.' },
  invalid_user_agent: { status: 400, message: 'user_agent must be a string or null.' },
  invalid_member: { status: 400, message: 'member must be the string that lookup answered.' },
  invalid_sign_up: { status: 400, message: 'sign_up must be true or false.' },
  invalid_first_name: { status: 400, message: 'first_name must be a name of 1 to 50 characters.' },
  invalid_device_id: { status: 400, message: 'The device id is not one that devices answered.' },
  refused: { status: 403, message: 'Sign-in refused.' },
  plivo_timeout: { status: 503, message: 'Plivo did not answer in time; try again.' },
  plivo_error: { status: 502, message: 'Plivo gave an unusable answer; try again later.' },
  unauthenticated: { status: 401, message: "Send the member's access token as Authorization: Bearer." },
  not_a_member: { status: 403, message: 'This credential does not belong to an active member.' },
  session_credential_required: { status: 403, message: 'Devices need the session access token that issue answered.' },
  device_not_found: { status: 404, message: 'No such device among your sessions (it may have refreshed since it was listed).' },
  passkeys_off: { status: 404, message: 'Passkeys are off on this Directus (SMS_SIGN_IN_PASSKEY_RP_ID is not set).' },
  passkeys_not_configured: {
    status: 503,
    message: 'Passkeys are not configured correctly on this Directus; the Directus log names the setting.',
  },
  invalid_ceremony: { status: 400, message: 'ceremony must be the id that the options route answered.' },
  invalid_passkey_response: { status: 400, message: "response must be the browser's WebAuthn credential as JSON." },
  invalid_passkey_name: { status: 400, message: 'name must be a name of 1 to 50 characters.' },
  invalid_passkey_id: { status: 400, message: 'The passkey id is not one that the list answered.' },
  passkey_not_found: { status: 404, message: 'No such passkey among yours.' },
  recent_sign_in_required: {
    status: 403,
    message: 'Adding a passkey needs a session opened by an SMS code in the last few minutes: sign in with a code again.',
  },
  registration_refused: { status: 400, message: 'The passkey could not be added; start again.' },
  internal_error: { status: 500, message: 'Unexpected error; the Directus log has the details.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class SignInError extends Error {
  constructor(readonly code: ErrorCode) {
    super(ERRORS[code].message);
    this.name = 'SignInError';
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toBody(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
