// The two systems' sign-in steps as a client calls them, each answer checked (a failed body
// stops the bench), and the app's own upstream calls replayed from outside.
import { LOCAL_STACK } from '../../lib/local-stack';
import type { TutorialFlows } from './flows';

/** What a start leaves for its verify: the flows hand the session uuid to the client, the app keeps it in its cookie. */
export type Pending = { phone: string; handle: string };
export type SignInSystem = { start(phone: string): Promise<Pending>; verify(pending: Pending, code: string): Promise<void> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function answer(response: Response, what: string): Promise<Record<string, unknown>> {
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

export function flowsSystem(flows: TutorialFlows): SignInSystem {
  return {
    async start(phone) {
      const query = new URLSearchParams({ phone_number: phone, country_code: '44' });
      const body = await answer(await fetch(`${flows.startUrl}?${query}`), 'flows start');
      expect(typeof body.otp_session_uuid === 'string' && UUID.test(body.otp_session_uuid), 'flows start', body);
      return { phone, handle: body.otp_session_uuid };
    },
    async verify(pending, code) {
      const query = new URLSearchParams({ otp: code, session_uuid: pending.handle });
      const body = await answer(await fetch(`${flows.verifyUrl}?${query}`), 'flows verify');
      expect(typeof body.token === 'string' && body.token.length === 32, 'flows verify', body);
    },
  };
}

export function appSystem(appUrl: string): SignInSystem {
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${appUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: appUrl, ...(cookie ? { Cookie: cookie } : {}) },
      body: JSON.stringify(body),
    });
  return {
    async start(phone) {
      const response = await post('/api/auth/start', { phone });
      const cookie = response.headers.get('set-cookie')?.split(';')[0];
      const body = await answer(response, 'app start');
      expect(body.status === 'code_sent' && !!cookie, 'app start', body);
      return { phone, handle: cookie! };
    },
    async verify(pending, code) {
      const body = await answer(await post('/api/auth/verify', { code }, pending.handle), 'app verify');
      expect(body.status === 'signed_in', 'app verify', body);
    },
  };
}

/**
 * The calls the app makes upstream for a sign-in with the `session` strategy (the extension's
 * lookup, Plivo's create; Plivo's validate, the extension's issue), made one after the other as
 * the app makes them: subtracted from the app's latency, what is left is the app's own overhead.
 */
export function upstreamReplay(target: { directusUrl: string; emulatorUrl: string; extensionKey: string }): SignInSystem {
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
      const found = await answer(await extension('lookup', { phone }), 'extension lookup');
      expect(typeof found.member === 'string', 'extension lookup', found);
      const created = await answer(
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
    async verify(pending, code) {
      const validated = await answer(
        await fetch(`${sessions}${pending.handle}/`, { method: 'POST', headers: plivo, body: JSON.stringify({ otp: code }) }),
        'Plivo validate',
      );
      expect(typeof validated.message === 'string', 'Plivo validate', validated);
      const member = members.get(pending.handle) ?? null;
      members.delete(pending.handle);
      const issued = await answer(
        await extension('issue', { phone: pending.phone, plivo_session_uuid: pending.handle, ip: '127.0.0.1', user_agent: null, member }),
        'extension issue',
      );
      expect(typeof issued.access_token === 'string', 'extension issue', issued);
    },
  };
}
