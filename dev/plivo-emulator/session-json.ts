// Renders a session the way Plivo's GET and list bodies show it (reference §4 and the fixtures).
// Key order follows the fixtures, which makes side-by-side comparison with them easy.
import { formatCharge, formatTimestamp } from './wire-format';
import { VALIDATION_CHARGE_UNITS, currentChannel, statusOf, type Session } from './session-model';

export function sessionJson(session: Session, now: number): Record<string, unknown> {
  const attempts = session.attempts;
  const validationUnits = session.verifiedAt === null ? 0 : VALIDATION_CHARGE_UNITS;
  const totalUnits = attempts.reduce((sum, a) => sum + a.chargeUnits, validationUnits);
  return {
    session_uuid: session.uuid,
    app_uuid: session.appUuid,
    alias: session.alias,
    recipient: session.recipient,
    channel: currentChannel(session),
    status: statusOf(session, now),
    count: attempts.length,
    locale: session.locale,
    requestor_ip: session.requestorIp,
    destination_country_iso2: session.countryIso2,
    destination_network: session.network,
    // Plivo sends null, not [], for a session without attempts; keep that shape available.
    attempt_details:
      attempts.length === 0
        ? null
        : attempts.map((a) => ({
            channel: a.channel,
            attempt_uuid: a.uuid,
            status: a.status,
            time: formatTimestamp(a.createdAt),
            ...(a.dtmf === null ? {} : { dtmf: a.dtmf }),
            ...(a.fraudCheck === null ? {} : { fraud_check: a.fraudCheck }),
          })),
    charges: {
      total_charge: formatCharge(totalUnits),
      // Exactly the two spellings the fixtures show: "0.05" once verified, "0.0000" before.
      validation_charge: session.verifiedAt === null ? '0.0000' : '0.05',
      attempt_charges:
        attempts.length === 0
          ? null
          : attempts.map((a) => ({
              attempt_uuid: a.uuid,
              channel: a.channel,
              charge: formatCharge(a.chargeUnits),
            })),
    },
    created_at: formatTimestamp(session.createdAt),
    updated_at: formatTimestamp(session.updatedAt),
  };
}
