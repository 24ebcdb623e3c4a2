// The systems' sign-in steps as a client calls them, each answer checked (a failed body stops the
// bench): the tutorial's flows, the app by SMS and by passkey, and the app's own upstream calls
// replayed from outside.
import { LOCAL_STACK } from '../../lib/local-stack';
import type { SoftwareAuthenticator } from '../../tests/support/software-authenticator';
import type { TutorialFlows } from './flows';

/**
 * What a start leaves for its verify: the flows hand the session uuid to the client, the app keeps
 * it in its cookie; a passkey ceremony also has the challenge the authenticator signs.
 */
export type Pending = { phone: string; handle: string; challenge?: string };
/**
 * A sign-in in two requests, `start` and `verify`, and between them, not timed, what the person
 * does: `answer` reads the code the emulator delivered, or has the authenticator sign the challenge.
 */
export type SignInSystem = {
  start(phone: string): Promise<Pending>;
  answer(pending: Pending): Promise<string>;
  verify(pending: Pending, answer: string): Promise<void>;
};
/** Where an SMS system's person reads the code: the emulator's latest one for their number. */
export type Delivery = (phone: string) => Promise<string>;
/** Browsers allow passkeys over http on localhost only, so the bench's relying party is localhost. */
export const BENCH_RP_ID = 'localhost';
/** The app as a browser reaches it: its address, and the origin its APP_URL names (localhost, for passkeys). */
export type AppTarget = { url: string; origin: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function bodyOf(response: Response, what: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok || typeof body !== 'object' || body === null)
    throw new Error(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
  return body as Record<string, unknown>;
}

function expect(condition: boolean, what: string, body: unknown): asserts condition {
  if (!condition) throw new Error(`${what} answered an unexpected body: ${JSON.stringify(body).slice(0, 200)}`);
}

export function flowsSystem(flows: TutorialFlows, delivered: Delivery): SignInSystem {
  return {
    answer: (pending) => delivered(pending.phone),
    async start(phone) {
      const query = new URLSearchParams({ phone_number: phone, country_code: '44' });
      const body = await bodyOf(await fetch(`${flows.startUrl}?${query}`), 'flows start');
      expect(typeof body.otp_session_uuid === 'string' && UUID.test(body.otp_session_uuid), 'flows start', body);
      return { phone, handle: body.otp_session_uuid };
    },
    async verify(pending, code) {
      const query = new URLSearchParams({ otp: code, session_uuid: pending.handle });
      const body = await bodyOf(await fetch(`${flows.verifyUrl}?${query}`), 'flows verify');
      expect(typeof body.token === 'string' && body.token.length === 32, 'flows verify', body);
    },
  };
}

/** A JSON post to the app as its own page makes it; `body` is the JSON text. */
export const appPost = (app: AppTarget) => (path: string, body: string, cookie?: string) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: app.origin, ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });

/** The cookie a start set: the handle its verify sends back. */
export function cookieOf(response: Response): string | undefined {
  return response.headers.get('set-cookie')?.split(';')[0];
}

export function appSystem(app: AppTarget, delivered: Delivery): SignInSystem {
  const post = appPost(app);
  return {
    async start(phone) {
      const response = await post('/api/auth/start', JSON.stringify({ phone }));
      const cookie = cookieOf(response);
      const body = await bodyOf(response, 'app start');
      expect(body.status === 'code_sent' && !!cookie, 'app start', body);
      return { phone, handle: cookie! };
    },
    answer: (pending) => delivered(pending.phone),
    async verify(pending, code) {
      const body = await bodyOf(await post('/api/auth/verify', JSON.stringify({ code }), pending.handle), 'app verify');
      expect(body.status === 'signed_in', 'app verify', body);
    },
  };
}

/**
 * A member's passkey sign-in through the app's JSON API: the ceremony's options (start), the
 * member's authenticator signing its challenge (answer), the assertion relayed to the extension
 * (verify). `passkeys`: each member's authenticator, by phone number.
 */
export function passkeySystem(app: AppTarget, passkeys: ReadonlyMap<string, SoftwareAuthenticator>): SignInSystem {
  const post = appPost(app);
  const rp = { origin: app.origin, rpId: BENCH_RP_ID };
  return {
    async start(phone) {
      const response = await post('/api/auth/passkey/sign-in/options', '{}');
      const cookie = cookieOf(response);
      const body = await bodyOf(response, 'app passkey options');
      const options = body.options as { challenge?: unknown } | undefined;
      expect(typeof options?.challenge === 'string' && !!cookie, 'app passkey options', body);
      return { phone, handle: cookie!, challenge: options.challenge };
    },
    async answer(pending) {
      const authenticator = passkeys.get(pending.phone);
      if (!authenticator || !pending.challenge) throw new Error(`no passkey ceremony for member ${pending.phone.slice(0, 6)}…`);
      // Counter 0 on every assertion, as synced passkeys (the common kind) report it.
      return JSON.stringify(authenticator.assert({ challenge: pending.challenge, ...rp }, { counter: 0 }));
    },
    async verify(pending, assertion) {
      const body = await bodyOf(
        await post('/api/auth/passkey/sign-in', `{"response":${assertion}}`, pending.handle),
        'app passkey sign-in',
      );
      expect(body.status === 'signed_in', 'app passkey sign-in', body);
    },
  };
}

/**
 * The calls the app makes upstream for a sign-in with the `session` strategy (the extension's
 * lookup, Plivo's create; Plivo's validate, the extension's issue), made one after the other as
 * the app makes them: subtracted from the app's latency, what is left is the app's own overhead.
 */
export function upstreamReplay(
  target: { directusUrl: string; emulatorUrl: string; extensionKey: string },
  delivered: Delivery,
): SignInSystem {
  const { authId, authToken, appUuid } = LOCAL_STACK.plivo;
  const sessions = `${target.emulatorUrl}/v1/Account/${authId}/Verify/Session/`;
  const plivo = { Authorization: `Basic ${Buffer.from(`${authId}:${authToken}`).toString('base64')}`, 'Content-Type': 'application/json' };
  const extension = (path: string, body: unknown) =>
    fetch(`${target.directusUrl}/sms-sign-in/${path}`, {
      method: 'POST',
      headers: { 'X-SMS-Sign-In-Key': target.extensionKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const members = new Map<string, string>();
  return {
    async start(phone) {
      const found = await bodyOf(await extension('lookup', { phone }), 'extension lookup');
      expect(typeof found.member === 'string', 'extension lookup', found);
      const created = await bodyOf(
        await fetch(sessions, {
          method: 'POST',
          headers: plivo,
          body: JSON.stringify({ app_uuid: appUuid, recipient: phone, channel: 'sms', method: 'POST' }),
        }),
        'Plivo create',
      );
      expect(typeof created.session_uuid === 'string', 'Plivo create', created);
      members.set(created.session_uuid, found.member);
      return { phone, handle: created.session_uuid };
    },
    answer: (pending) => delivered(pending.phone),
    async verify(pending, code) {
      const validated = await bodyOf(
        await fetch(`${sessions}${pending.handle}/`, { method: 'POST', headers: plivo, body: JSON.stringify({ otp: code }) }),
        'Plivo validate',
      );
      expect(typeof validated.message === 'string', 'Plivo validate', validated);
      const member = members.get(pending.handle) ?? null;
      members.delete(pending.handle);
      const issued = await bodyOf(
        await extension('issue', { phone: pending.phone, plivo_session_uuid: pending.handle, ip: '127.0.0.1', user_agent: null, member }),
        'extension issue',
      );
      expect(typeof issued.access_token === 'string', 'extension issue', issued);
    },
  };
}
