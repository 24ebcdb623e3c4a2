// The emulator's in-memory picture of a Verify session, and the rules that derive what Plivo shows
// from it (status, count, charges). Rendering to Plivo's JSON lives in session-json.ts.

// Plivo's channels are the app's: one list.
import { CHANNELS, type Channel } from '../../lib/api-contract';

export { CHANNELS, type Channel };

export type SessionStatus = 'in-progress' | 'verified' | 'expired';
export const SESSION_STATUSES: readonly SessionStatus[] = ['in-progress', 'verified', 'expired'];

export interface StatusCallback {
  url: string;
  method: 'GET' | 'POST';
}

/** How a delivery ended when it did not reach the phone: Plivo's ChannelStatus and ChannelErrorCode. */
export interface DeliveryFailure {
  channelStatus: 'failed' | 'undelivered';
  /** "450" (Geo Permissions), "451" (fraud threshold), "452" (Fraud Shield), or "" when Plivo names none. */
  errorCode: string;
}

export interface Attempt {
  uuid: string;
  channel: Channel;
  /** Final delivery status shown in attempt_details ("delivered" for sms, "answer" for voice, or the failure's). */
  status: string;
  /** Set when this delivery failed (a recipient rule's `failSms`). */
  failure: DeliveryFailure | null;
  createdAt: number;
  /** 1/100000 USD, see wire-format.ts. */
  chargeUnits: number;
  /** Echoed per attempt when the request set them, as the go/php fixtures show. */
  dtmf: number | null;
  fraudCheck: string | null;
}

export interface Session {
  uuid: string;
  appUuid: string;
  alias: string;
  /** Digits only, as Plivo returns it. */
  recipient: string;
  code: string;
  locale: string;
  brandName: string;
  appHash: string;
  requestorIp: string;
  countryIso2: string;
  network: string | null;
  attempts: Attempt[];
  /** Successful or failed validations evaluated so far (capped by maxValidations). */
  validations: number;
  verifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  callback: StatusCallback | null;
  /** Set once the "expired" callback has been queued, so it goes out exactly once. */
  expiryNotified: boolean;
}

/** Verified wins over expired: a verified session stays "verified" in Plivo's lists forever. */
export function statusOf(session: Session, now: number): SessionStatus {
  if (session.verifiedAt !== null) return 'verified';
  return now >= session.expiresAt ? 'expired' : 'in-progress';
}

/** The channel Plivo reports for a session is the channel of its latest attempt. */
export function currentChannel(session: Session): Channel {
  return session.attempts.at(-1)?.channel ?? 'sms';
}

// Prices copied from the fixtures (an IN sms attempt 0.021, a voice attempt 0.006, validation 0.05),
// so the numbers look like Plivo's and the sums can be checked.
export const ATTEMPT_CHARGE_UNITS: Record<Channel, number> = { sms: 2_100, voice: 600 };
export const VALIDATION_CHARGE_UNITS = 5_000;

/** What attempt_details shows once a delivery is done; the fixtures show these two words. */
export const FINAL_ATTEMPT_STATUS: Record<Channel, string> = { sms: 'delivered', voice: 'answer' };

// Enough of the numbering plan to fill destination_country_iso2 for numbers people test with.
// Longest prefix first; anything else gets "" as Plivo does when it cannot tell.
const COUNTRY_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['353', 'IE'],
  ['44', 'GB'],
  ['49', 'DE'],
  ['33', 'FR'],
  ['34', 'ES'],
  ['39', 'IT'],
  ['31', 'NL'],
  ['61', 'AU'],
  ['91', 'IN'],
  ['1', 'US'],
];

export function countryOf(recipientDigits: string): string {
  return COUNTRY_PREFIXES.find(([prefix]) => recipientDigits.startsWith(prefix))?.[1] ?? '';
}
