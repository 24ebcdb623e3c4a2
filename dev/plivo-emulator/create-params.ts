// Checks the body of POST …/Verify/Session/ the way Plivo documents it (reference §2.1) and turns
// it into the store's input. Unknown keys are ignored, as Plivo does.
import { stringParam, type Params } from './http-io';
import { CHANNELS, type Channel } from './session-model';
import type { SendCodeInput } from './session-store';
import { stripPlus } from './wire-format';

/** What the request says; the account fills in the app, its alias and the requester's address. */
export type CreateRequest = Omit<SendCodeInput, 'appUuid' | 'alias' | 'requestorIp'> & { appUuid: string | undefined };

export type ParsedCreate = { ok: true; request: CreateRequest } | { ok: false; error: string };

// Plivo's documented form: an ISO 639-1 language, optionally an ISO 3166-1 region after "_"
// ("en", "es", "fr_FR"). Plivo does not say how it answers another; the emulator refuses it.
const LOCALE = /^[a-z]{2}(_[A-Z]{2})?$/;

// E.164: a country code that does not start with 0, 8 to 15 digits in all; "+" optional because
// Plivo's own examples send digits only.
const E164 = /^\+?[1-9]\d{7,14}$/;

export function parseCreate(params: Params): ParsedCreate {
  const recipient = stringParam(params, 'recipient');
  if (recipient === undefined || recipient === '') return { ok: false, error: 'recipient is required' };
  if (!E164.test(recipient)) return { ok: false, error: 'recipient must be a valid phone number in E.164 format' };

  const channel = stringParam(params, 'channel') ?? 'sms';
  if (!CHANNELS.includes(channel as Channel)) return { ok: false, error: `channel must be one of ${CHANNELS.join(', ')}` };

  const rawLength = stringParam(params, 'code_length');
  let codeLength: number | undefined;
  if (rawLength !== undefined && rawLength !== '') {
    codeLength = Number(rawLength);
    if (!Number.isInteger(codeLength) || codeLength < 4 || codeLength > 8) {
      return { ok: false, error: 'code_length must be an integer between 4 and 8' };
    }
  }

  const url = stringParam(params, 'url');
  const method = (stringParam(params, 'method') ?? 'POST').toUpperCase();
  if (method !== 'GET' && method !== 'POST') return { ok: false, error: 'method must be GET or POST' };
  if (url !== undefined && url !== '' && !isHttpUrl(url)) return { ok: false, error: 'url must be a valid http(s) URL' };

  const locale = stringParam(params, 'locale') || 'en';
  if (!LOCALE.test(locale))
    return { ok: false, error: 'locale must be a language code, optionally with a region, such as en, es or fr_FR' };

  const rawDtmf = stringParam(params, 'dtmf');
  const dtmf = rawDtmf === undefined || rawDtmf === '' ? null : Number(rawDtmf);
  if (dtmf !== null && !Number.isInteger(dtmf)) return { ok: false, error: 'dtmf must be an integer' };

  return {
    ok: true,
    request: {
      recipient: stripPlus(recipient),
      appUuid: stringParam(params, 'app_uuid') || undefined,
      channel: channel as Channel,
      locale,
      brandName: stringParam(params, 'brand_name') ?? '',
      appHash: stringParam(params, 'app_hash') ?? '',
      codeLength,
      callback: url ? { url, method } : null,
      attemptOptions: { dtmf, fraudCheck: stringParam(params, 'fraud_check') || null },
    },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
