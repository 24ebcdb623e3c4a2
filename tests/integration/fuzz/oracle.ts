// What the API may answer to one generated request, derived from docs/api.md and the request alone:
// the same-origin and JSON checks, the body's meaning, the phone number's validity (with the same
// libphonenumber metadata the server uses) and the session states the cookie may hold.
import { normalizePhone } from '@/lib/phone';
import { ROUTES, type CookieState, type FuzzRequest } from './model';

export type OracleConfig = {
  appOrigin: string;
  /** ALLOWED_COUNTRIES of the app: '*' or ISO codes. */
  allowedCountries: '*' | readonly string[];
  allowedNumberTypes: readonly string[];
  /** The international form of every number a real decoy cookie holds (what /resend echoes). */
  decoyPhones: ReadonlySet<string>;
  demo: { phone: string; first_name: string };
};

/** Outcomes by key: '200' for success, otherwise the error code. `check` refines a 200 body. */
export type Expectation = { allowed: Set<string>; why: string; check?: (json: any) => string | undefined }; // eslint-disable-line @typescript-eslint/no-explicit-any

const MAX_BODY = 4096;

/** The request body as the server reads it: UTF-8 decoded, a leading BOM dropped. */
export function serverText(body: string | undefined): string {
  return new TextDecoder().decode(new TextEncoder().encode(body ?? ''));
}

/**
 * Besides APP_URL, the server accepts the origin of `request.url`, which Next builds from its own
 * listening port as http(s)://localhost:PORT (the scheme from X-Forwarded-Proto), not from the Host
 * header. No browser sends that Origin cross-site, so either answer is taken for it.
 */
function nextInternalOrigin(origin: string, config: OracleConfig): boolean {
  return origin.replace(/^https:/, 'http:') === `http://localhost:${new URL(config.appOrigin).port}`;
}

function refusedAsCrossSite(request: FuzzRequest, config: OracleConfig): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== config.appOrigin && !nextInternalOrigin(origin, config)) return `Origin ${JSON.stringify(origin)}`;
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'Sec-Fetch-Site cross-site';
  const type = request.headers['content-type'];
  if (!/^application\/json\s*(;|$)/i.test(type ?? '')) return `Content-Type ${JSON.stringify(type)}`;
  return undefined;
}

type Parsed =
  | { kind: 'ok'; value: Record<string, unknown> }
  | { kind: 'bad'; why: string }
  | { kind: 'gray'; value: Record<string, unknown>; why: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether the body means a valid request for the route; 'gray' where docs/api.md leaves it open. */
function parseBody(request: FuzzRequest): Parsed {
  const raw = request.body ?? '';
  const text = serverText(raw);
  if (text.length > MAX_BODY) return { kind: 'bad', why: `${text.length} chars` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'bad', why: 'not JSON' };
  }
  const bytes = new TextEncoder().encode(raw).length;
  const big = bytes > MAX_BODY ? ` (${bytes} bytes)` : '';
  if (!isObject(value))
    return request.route === 'logout'
      ? { kind: 'gray', value: {}, why: 'logout body not an object' }
      : { kind: 'bad', why: 'not an object' };
  switch (request.route) {
    case 'start': {
      const { phone, country } = value;
      if (typeof phone !== 'string') return { kind: 'bad', why: 'phone not a string' };
      if (country !== undefined && country !== null && typeof country !== 'string') return { kind: 'bad', why: 'country not a string' };
      const plainCountry = country === undefined || (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country));
      if (phone.length < 1 || phone.length > 40 || !plainCountry || big)
        return { kind: 'gray', value, why: `phone of ${phone.length}, country ${JSON.stringify(country)}${big}` };
      return { kind: 'ok', value };
    }
    case 'resend': {
      const { channel } = value;
      if (channel === undefined || channel === 'sms' || channel === 'voice')
        return big ? { kind: 'gray', value, why: big } : { kind: 'ok', value };
      if (channel === null) return { kind: 'gray', value: { ...value, channel: undefined }, why: 'channel null' };
      return { kind: 'bad', why: `channel ${JSON.stringify(channel)}` };
    }
    case 'verify': {
      const { code } = value;
      if (typeof code !== 'string') return { kind: 'bad', why: 'code not a string' };
      if (code.length > 32 || big) return { kind: 'gray', value, why: `code of ${code.length}${big}` };
      return { kind: 'ok', value };
    }
    case 'passkeySignIn':
    case 'passkeyAdd': {
      if (!isCredential(value.response)) return { kind: 'bad', why: 'response not a credential' };
      if (request.route === 'passkeyAdd' && value.name !== undefined && !(typeof value.name === 'string' && value.name.length <= 200))
        return { kind: 'bad', why: 'name not a string of at most 200' };
      return big ? { kind: 'gray', value, why: big } : { kind: 'ok', value };
    }
    case 'passkeyRename':
    case 'passkeyRemove': {
      if (typeof value.id !== 'string' || !/^[0-9a-f]{64}$/.test(value.id)) return { kind: 'bad', why: 'id not a passkey id' };
      if (request.route === 'passkeyRename' && !(typeof value.name === 'string' && value.name.length <= 200))
        return { kind: 'bad', why: 'name not a string of at most 200' };
      return big ? { kind: 'gray', value, why: big } : { kind: 'ok', value };
    }
    default:
      return big ? { kind: 'gray', value, why: big } : { kind: 'ok', value };
  }
}

/** The shape the passkey routes relay: an id of 1 to 2048 characters and a response object. */
function isCredential(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && value.id.length >= 1 && value.id.length <= 2048 && isObject(value.response);
}

/** What a passkey route answers: only a signed-in cookie reaches the member's passkeys. */
function passkeyOutcome(request: FuzzRequest): Expectation | undefined {
  const signedIn = (allowed: string[]) =>
    perState(request.cookieStates, (s) => (s === 'signedIn' ? [...allowed, 'unauthorized'] : ['unauthorized']));
  switch (request.route) {
    case 'passkeySignInOptions':
      return {
        allowed: new Set(['200']),
        why: 'passkey sign-in options',
        check: (json) => (typeof json.options?.challenge !== 'string' ? 'options without a challenge' : undefined),
      };
    case 'passkeySignIn':
      // No generated cookie holds a ceremony, so every answer is refused, whatever it says.
      return { allowed: new Set(['passkey_refused']), why: 'a passkey answer without a ceremony' };
    case 'passkeyAddOptions':
      return { allowed: signedIn(['200', 'recent_sign_in_required']), why: `add options with ${request.cookieStates.join('/')}` };
    case 'passkeyAdd':
      return { allowed: signedIn(['passkey_not_added', 'invalid_passkey_name']), why: `add with ${request.cookieStates.join('/')}` };
    case 'passkeyRename':
      return { allowed: signedIn(['passkey_not_found', 'invalid_passkey_name']), why: `rename with ${request.cookieStates.join('/')}` };
    case 'passkeyRemove':
      return { allowed: signedIn(['passkey_not_found']), why: `remove with ${request.cookieStates.join('/')}` };
    case 'passkeyList':
      return { allowed: signedIn(['200']), why: `list with ${request.cookieStates.join('/')}` };
    default:
      return undefined;
  }
}

function startOutcome(value: Record<string, unknown>, config: OracleConfig): Expectation {
  const phone = value.phone as string;
  const country = typeof value.country === 'string' && /^[A-Za-z]{2}$/.test(value.country) ? value.country.toUpperCase() : undefined;
  const normalized = normalizePhone(phone, country);
  const countryOk = (c: string | undefined) => config.allowedCountries === '*' || config.allowedCountries.includes(c ?? '');
  if (!normalized) return { allowed: new Set(['invalid_phone']), why: 'not a valid number' };
  if (!config.allowedNumberTypes.includes(normalized.type ?? '')) {
    // Which of the two refusals comes first is the server's choice when both apply.
    return {
      allowed: new Set(countryOk(normalized.country) ? ['invalid_phone'] : ['invalid_phone', 'country_not_allowed']),
      why: `a ${normalized.type} number`,
    };
  }
  if (!countryOk(normalized.country)) return { allowed: new Set(['country_not_allowed']), why: `a number of ${normalized.country}` };
  return {
    allowed: new Set(['200']),
    why: `a valid ${normalized.type} number ${normalized.e164}`,
    check: (json) =>
      json.phone !== normalized.international
        ? `phone ${json.phone}, expected ${normalized.international}`
        : json.channel !== 'sms'
          ? `channel ${json.channel}`
          : undefined,
  };
}

function perState(states: CookieState[], outcome: (state: CookieState) => string[]): Set<string> {
  return new Set(states.flatMap(outcome));
}

function routeOutcome(request: FuzzRequest, value: Record<string, unknown>, config: OracleConfig): Expectation {
  const states = request.cookieStates;
  const passkey = passkeyOutcome(request);
  if (passkey) return passkey;
  switch (request.route) {
    case 'start':
      return startOutcome(value, config);
    case 'resend': {
      const channel = (value.channel as string | undefined) ?? 'sms';
      return {
        allowed: perState(states, (s) => (s === 'decoy' || s === 'ada' ? ['200'] : ['no_pending_verification'])),
        why: `resend by ${channel} with ${states.join('/')}`,
        check: (json) =>
          json.channel !== channel
            ? `channel ${json.channel}, asked for ${channel}`
            : !config.decoyPhones.has(json.phone)
              ? `phone ${json.phone} is no decoy's`
              : undefined,
      };
    }
    case 'verify':
      return {
        allowed: perState(states, (s) => {
          if (s === 'decoy') return ['invalid_code', 'too_many_attempts'];
          if (s === 'ada') return ['invalid_code', 'too_many_attempts', 'code_expired', '200'];
          if (s === 'expired') return ['code_expired'];
          return ['no_pending_verification'];
        }),
        why: `verify ${JSON.stringify(value.code).slice(0, 40)} with ${states.join('/')}`,
        check: (json) => (json.user?.phone !== config.demo.phone ? `signed in as ${json.user?.phone}` : undefined),
      };
    default:
      return { allowed: new Set(['200']), why: 'logout' };
  }
}

/** Every answer the contract allows for this request. A 429 rate_limited is always a valid answer. */
export function expectationFor(request: FuzzRequest, config: OracleConfig): Expectation {
  const route = ROUTES[request.route];
  const maybeSameOrigin = request.headers.origin !== undefined && nextInternalOrigin(request.headers.origin, config);
  let expectation: Expectation;
  if (request.method !== route.method) {
    expectation = { allowed: new Set(['method']), why: `${request.method} on a ${route.method} route` };
  } else if (route.method === 'GET') {
    if (request.route === 'health') return { allowed: new Set(['200']), why: 'health' };
    if (request.route === 'passkeyList')
      return { ...passkeyOutcome(request)!, allowed: new Set([...passkeyOutcome(request)!.allowed, 'rate_limited']) };
    const states = request.cookieStates;
    return {
      allowed: new Set(['200', 'rate_limited']),
      why: `session with ${states.join('/')}`,
      check: (json) => {
        if (json.signedIn === true && !states.includes('signedIn')) return 'signed in without a credential';
        if (json.signedIn === false && states.every((s) => s === 'signedIn')) return 'signed out with a live credential';
        if (json.signedIn === true && (json.user.phone !== config.demo.phone || json.user.first_name !== config.demo.first_name))
          return `signed in as ${json.user.phone}`;
        return undefined;
      },
    };
  } else {
    const crossSite = refusedAsCrossSite(request, config);
    if (crossSite) {
      expectation = { allowed: new Set(['forbidden_origin']), why: crossSite };
    } else {
      const parsed = parseBody(request);
      if (parsed.kind === 'bad') {
        expectation = { allowed: new Set(['invalid_request']), why: parsed.why };
      } else {
        expectation = routeOutcome(request, parsed.value, config);
        if (parsed.kind === 'gray') {
          expectation = {
            ...expectation,
            allowed: new Set([...expectation.allowed, 'invalid_request']),
            why: `${parsed.why}; else ${expectation.why}`,
          };
        }
      }
    }
  }
  if (maybeSameOrigin)
    expectation = {
      ...expectation,
      allowed: new Set([...expectation.allowed, 'forbidden_origin']),
      why: `${expectation.why}, or refused for Origin ${request.headers.origin}`,
    };
  expectation.allowed.add('rate_limited');
  return expectation;
}
