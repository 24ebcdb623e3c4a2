import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

// Full metadata: the small default set only checks lengths, so it accepts numbers that do not exist.

export type NormalizedPhone = { e164: string; country: CountryCode | undefined; international: string; type: NumberType };

/** Parses what a person typed; `country` applies only to numbers written without `+`. */
export function normalizePhone(input: string, country?: string): NormalizedPhone | undefined {
  const phone = parsePhoneNumberFromString(input.trim(), { defaultCountry: country as CountryCode | undefined });
  // An extension is a desk behind a switchboard: the code would go to the switchboard.
  if (!phone?.isValid() || phone.ext) return undefined;
  return {
    e164: phone.number,
    country: phone.country,
    international: phone.formatInternational(),
    type: phone.getType(),
  };
}

/**
 * `+447400123456` → `+44******456`: enough to tell numbers apart in logs, too little to call.
 * The stars are a fixed run so the length of the number is not given away either.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '******';
  return `+${digits.slice(0, 2)}******${digits.slice(-3)}`;
}
