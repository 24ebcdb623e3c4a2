// Phone numbers as people (and attackers) type them: valid ones from libphonenumber's examples in
// many formats and countries, random valid mobiles, landlines, near misses and hostile text.
import fc from 'fast-check';
import examples from 'libphonenumber-js/mobile/examples';
import { getCountries, getExampleNumber, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

import { LOCAL_STACK } from '@/lib/local-stack';
import { normalizePhone } from '@/lib/phone';

export const DEMO_E164: string = LOCAL_STACK.demoMember.phone;
const MOBILE_TYPES = ['MOBILE', 'FIXED_LINE_OR_MOBILE'];

export const COUNTRIES: readonly CountryCode[] = getCountries().filter((c) => getExampleNumber(c, examples));

/** A valid mobile number of `country` with its last digits replaced, never the demo member's. */
export function randomMobile(country: CountryCode, digits: string): PhoneNumber | undefined {
  const example = getExampleNumber(country, examples);
  if (!example) return undefined;
  const nsn = example.nationalNumber;
  const keep = Math.max(nsn.length - digits.length, Math.min(3, nsn.length));
  const candidate = parsePhoneNumberFromString(`+${example.countryCallingCode}${nsn.slice(0, keep)}${digits.slice(0, nsn.length - keep)}`);
  const pick = candidate?.isValid() && MOBILE_TYPES.includes(candidate.getType() ?? '') ? candidate : example;
  return pick.number === DEMO_E164 ? undefined : pick;
}

const digit = fc.constantFrom(...'0123456789');
const digits = (min: number, max: number) => fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Random valid mobiles (never the demo member's), from any country or from a given list. */
export function mobileArb(countries: readonly CountryCode[] = COUNTRIES): fc.Arbitrary<PhoneNumber> {
  return fc
    .tuple(fc.constantFrom(...countries), digits(4, 6))
    .map(([country, tail]) => randomMobile(country, tail))
    .filter((phone): phone is PhoneNumber => phone !== undefined);
}

const FULLWIDTH = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const ARABIC_INDIC = (text: string) => text.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** One number written the many ways people write it; `country` is what the form would send along. */
export function formatsOf(phone: PhoneNumber): fc.Arbitrary<{ phone: string; country?: string }> {
  const e164 = phone.number;
  const national = phone.formatNational();
  const cc = phone.country;
  const withCountry = (text: string) =>
    fc
      .constantFrom(cc ?? 'GB', (cc ?? 'gb').toLowerCase(), `${(cc ?? 'GB')[0]}${(cc ?? 'GB')[1]!.toLowerCase()}`)
      .map((country) => ({ phone: text, country }));
  const noCountry = (text: string) => fc.constant({ phone: text });
  return fc.oneof(
    noCountry(e164),
    noCountry(phone.formatInternational()),
    noCountry(phone.format('RFC3966')),
    noCountry(e164.slice(1)), // digits without "+": invalid without a country
    withCountry(national),
    withCountry(national.replace(/\D/g, '')),
    withCountry(`00${e164.slice(1)}`),
    withCountry(e164),
    withCountry(FULLWIDTH(national)),
    withCountry(ARABIC_INDIC(national)),
    noCountry(FULLWIDTH(e164)),
    fc
      .tuple(fc.constantFrom(' ', '-', '.', '/', '\u00a0', '\t', ''), fc.boolean())
      .chain(([sep, parens]) =>
        noCountry(
          `+${phone.countryCallingCode} ${parens ? '(' : ''}${phone.nationalNumber.replace(/(\d{3})(?=\d)/g, `$1${sep}`)}${parens ? ')' : ''}`,
        ),
      ),
    fc.tuple(fc.constantFrom('  ', '\n', '\t', ' \r\n '), fc.constantFrom('', ' ', '\n')).chain(([a, b]) => noCountry(`${a}${e164}${b}`)),
    fc.constantFrom(' ext. 12', ';ext=99', ' x1', '#123', ' extension 7').chain((ext) => noCountry(`${e164}${ext}`)),
    fc.constantFrom('call ', 'tel: ', 'Phone: ', '☎ ').chain((prefix) => noCountry(`${prefix}${phone.formatInternational()}`)),
  );
}

/** Numbers that exist but cannot take an SMS, or cost money: landline, toll-free, premium, shared cost. */
const NOT_MOBILE = [
  { phone: '020 7946 0000', country: 'GB' },
  { phone: '+44 20 7946 0018' },
  { phone: '+44 909 879 0000' },
  { phone: '+44 800 123 4567' },
  { phone: '+33 1 23 45 67 89' },
  { phone: '+353 1 234 5678' },
  { phone: '+1 800 555 0199' },
  { phone: '+1 900 555 0199' },
  { phone: '+49 30 123456' },
  { phone: '+800 1234 5678' },
  { phone: '+882 1234 5678' },
];

/** Strings that look a bit like numbers, and strings that do not at all. */
const hostilePhone: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '+',
    '00',
    '+44',
    '+0000000000',
    '+999 1234 5678',
    '07400',
    '074001234567890123456789',
    '+44 7400 1234567890',
    '++447400123457',
    '+44-(0)-7400-123-457',
    "' OR '1'='1",
    '${jndi:ldap://x/a}',
    '<script>alert(1)</script>',
    '\u0000',
    '\u202e7400123457',
    '１２３',
    'NaN',
    'null',
    'undefined',
    '[object Object]',
    '%2B447400123457',
    '+44 7400 12345７',
    '📞+44 7400 123 457',
  ),
  digits(1, 20),
  digits(1, 18).map((d) => `+${d}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 41, maxLength: 300 }),
  fc.integer({ min: 1, max: 4_000 }).map((n) => '7'.repeat(n)),
);

/** A start request's `phone` and optional `country`, as strings: the body generator adds the wrong types. */
export const phoneInputArb: fc.Arbitrary<{ phone: string; country?: string }> = fc.oneof(
  { weight: 6, arbitrary: mobileArb().chain(formatsOf) },
  { weight: 3, arbitrary: mobileArb(['GB', 'IE', 'FR', 'US']).chain(formatsOf) },
  { weight: 1, arbitrary: fc.constantFrom(...NOT_MOBILE) },
  {
    weight: 3,
    arbitrary: fc.record({ phone: hostilePhone, country: fc.option(countryArb(), { nil: undefined }) }, { requiredKeys: ['phone'] }),
  },
);

/** The `country` field: real codes in any case, unknown codes, and strings that are not codes at all. */
export function countryArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...COUNTRIES) },
    { weight: 2, arbitrary: fc.mixedCase(fc.constantFrom('gb', 'ie', 'fr', 'us', 'de', 'in')) },
    { weight: 2, arbitrary: fc.constantFrom('ZZ', 'XX', 'UK', 'EU', 'AA', 'QQ', '00', 'G1', 'ÄÖ', 'ǅa') },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'G', 'GBR', 'gb ', ' gb', 'G B', 'United Kingdom', '+44', '__proto__') },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  );
}

/** Whether the demo member's number is what this input means: those must not be fuzzed (real SMS). */
export function isDemoNumber(phone: unknown, country: unknown): boolean {
  if (typeof phone !== 'string') return false;
  const region = typeof country === 'string' && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : undefined;
  return normalizePhone(phone, region)?.e164 === DEMO_E164 || normalizePhone(phone)?.e164 === DEMO_E164;
}
