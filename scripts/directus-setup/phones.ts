// Pure phone checks for existing `directus_users.phone` values: E.164 validity (libphonenumber-js/max),
// normalisation, collisions after normalisation, and which rewrites are safe.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

import { maskPhone } from '../../lib/phone';

export const E164_REGEX = '^\\+[1-9][0-9]{6,14}$';

export type PhoneCheck =
  { kind: 'ok'; e164: string } | { kind: 'blank' } | { kind: 'fixable'; e164: string } | { kind: 'needs-country' } | { kind: 'invalid' };

export function isValidE164(value: string): boolean {
  if (!new RegExp(E164_REGEX).test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  return !!parsed && parsed.isValid() && parsed.number === value;
}

/** Classifies one stored value. `defaultCountry` is used only for numbers without a leading `+`. */
export function checkPhone(raw: string, defaultCountry?: CountryCode): PhoneCheck {
  const value = raw.trim();
  if (value === '') return { kind: 'blank' };
  if (raw === value && isValidE164(value)) return { kind: 'ok', e164: value };
  const international = value.startsWith('+') || value.startsWith('00');
  const candidate = value.startsWith('00') ? `+${value.slice(2)}` : value;
  if (!international && !defaultCountry) {
    // A national number: only fixable with a default country. Report it as such if it could be one.
    return /\d{4,}/.test(value.replace(/\D/g, '')) ? { kind: 'needs-country' } : { kind: 'invalid' };
  }
  const parsed = parsePhoneNumberFromString(candidate, international ? undefined : defaultCountry);
  if (!parsed || !parsed.isValid()) return { kind: 'invalid' };
  return { kind: 'fixable', e164: parsed.number };
}

export interface StoredPhone {
  id: string;
  phone: string;
}

export interface PhoneFinding {
  id: string;
  masked: string;
  reason: string;
}

export interface PhoneRewrite {
  id: string;
  from: string; // masked
  to: string | null; // masked E.164, or null for blank values
  value: string | null; // the real new value (never printed)
}

export interface PhoneAnalysis {
  total: number;
  valid: number;
  /** Safe rewrites (only applied with --fix-phones). */
  rewrites: PhoneRewrite[];
  /** Values that are not valid E.164 and cannot be rewritten automatically. */
  invalid: PhoneFinding[];
  /** Groups of users whose numbers are the same after normalisation (fix by hand). */
  collisions: { e164Masked: string; users: PhoneFinding[] }[];
  /** True when the raw values contain exact duplicates (a unique index cannot be created). */
  rawDuplicates: boolean;
}

export function analysePhones(rows: StoredPhone[], defaultCountry?: CountryCode): PhoneAnalysis {
  const checks = rows.map((row) => ({ row, check: checkPhone(row.phone, defaultCountry) }));
  const byNumber = new Map<string, typeof checks>();
  for (const c of checks) {
    if (c.check.kind !== 'ok' && c.check.kind !== 'fixable') continue;
    const list = byNumber.get(c.check.e164) ?? [];
    list.push(c);
    byNumber.set(c.check.e164, list);
  }
  const rawCounts = new Map<string, number>();
  for (const r of rows) rawCounts.set(r.phone, (rawCounts.get(r.phone) ?? 0) + 1);
  // Blank values are rewritten to null, so only non-blank raw duplicates block the index for good;
  // blank duplicates block it until fixed.
  const rawDuplicates = [...rawCounts.values()].some((n) => n > 1);

  const analysis: PhoneAnalysis = { total: rows.length, valid: 0, rewrites: [], invalid: [], collisions: [], rawDuplicates };
  for (const [e164, group] of byNumber) {
    if (group.length > 1) {
      analysis.collisions.push({
        e164Masked: maskPhone(e164),
        users: group.map(({ row, check }) => ({
          id: row.id,
          masked: maskPhone(row.phone),
          reason: check.kind === 'ok' ? 'same number' : 'same number after normalisation',
        })),
      });
    }
  }
  const colliding = new Set(analysis.collisions.flatMap((c) => c.users.map((u) => u.id)));
  for (const { row, check } of checks) {
    const masked = maskPhone(row.phone);
    switch (check.kind) {
      case 'ok':
        if (!colliding.has(row.id)) analysis.valid += 1;
        break;
      case 'blank':
        analysis.rewrites.push({ id: row.id, from: JSON.stringify(row.phone), to: null, value: null });
        break;
      case 'fixable':
        if (!colliding.has(row.id)) {
          analysis.rewrites.push({ id: row.id, from: masked, to: maskPhone(check.e164), value: check.e164 });
        }
        break;
      case 'needs-country':
        analysis.invalid.push({ id: row.id, masked, reason: 'no country code (pass --default-country to rewrite)' });
        break;
      case 'invalid':
        analysis.invalid.push({ id: row.id, masked, reason: 'not a valid phone number' });
        break;
    }
  }
  return analysis;
}

export function isCountryCode(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}
