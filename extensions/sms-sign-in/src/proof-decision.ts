// Does a Plivo Verify session (the JSON of GET …/Verify/Session/{uuid}/) prove that this phone
// received and typed a fresh code? Pure: the HTTP call lives in plivo-client.ts.

/** How far in the future Plivo's created_at may be (clocks differ a little); beyond, refuse. */
const MAX_CLOCK_SKEW_SECONDS = 300;

export type ProofRefusal = 'malformed' | 'not_verified' | 'other_recipient' | 'other_app' | 'too_old' | 'from_the_future';

export interface ProofExpectation {
  phone: string;
  appUuid: string;
  lifetimeSeconds: number;
  now: number;
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i;

/**
 * Plivo writes RFC 3339 with up to six fraction digits and an offset ("…03.187679+05:30").
 * Date.parse is lenient and engine-dependent with such input, so cut the fraction to ms first.
 */
export function parsePlivoTime(value: unknown): number | null {
  const match = typeof value === 'string' ? RFC3339.exec(value) : null;
  if (!match) return null;
  const ms = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  const time = Date.parse(`${match[1]}.${ms}${match[3]!.toUpperCase()}`);
  return Number.isNaN(time) ? null : time;
}

export function judgeProof(session: unknown, expected: ProofExpectation): ProofRefusal | null {
  if (session === null || typeof session !== 'object') return 'malformed';
  const { status, recipient, app_uuid: appUuid, created_at: createdAt } = session as Record<string, unknown>;
  if (typeof status !== 'string' || typeof recipient !== 'string' || typeof appUuid !== 'string') return 'malformed';
  const created = parsePlivoTime(createdAt);
  if (created === null) return 'malformed';
  if (status.toLowerCase() !== 'verified') return 'not_verified';
  // Plivo answers the recipient as digits without '+'.
  if (recipient.replace(/^\+/, '') !== expected.phone.replace(/^\+/, '')) return 'other_recipient';
  if (appUuid.toLowerCase() !== expected.appUuid.toLowerCase()) return 'other_app';
  // created_at, not updated_at: Plivo's updated_at can be Go's zero time.
  const ageSeconds = (expected.now - created) / 1000;
  if (ageSeconds > expected.lifetimeSeconds) return 'too_old';
  if (ageSeconds < -MAX_CLOCK_SKEW_SECONDS) return 'from_the_future';
  return null;
}
