// Shared setup for the emulator's tests: one emulator per test file on a random port, the real
// plivo SDK pointed at it, and small helpers for the /dev/ endpoints.
import plivo from 'plivo';
import type { DevSession } from './dev-routes';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './server';

export const AUTH_ID = 'MATESTEMULATOR000001';
export const AUTH_TOKEN = 'test-auth-token';
export const APP_UUID = '11111111-2222-4333-8444-555555555555';
export const PHONE = '+447400123456';

export interface Harness {
  emulator: RunningEmulator;
  client: plivo.Client;
  /** SDK client with a custom per-request timeout (ms). */
  clientWithTimeout(timeoutMs: number, token?: string): plivo.Client;
  dev(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** The code the emulator "sent" in a session, read the way developers read it. */
  codeOf(sessionUuid: string): Promise<string>;
}

export async function startHarness(options: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const emulator = await startEmulator({ authId: AUTH_ID, authToken: AUTH_TOKEN, appUuid: APP_UUID, ...options });
  const clientWithTimeout = (timeoutMs: number, token = AUTH_TOKEN) =>
    new plivo.Client(AUTH_ID, token, { url: `${emulator.url}/v1/Account/${AUTH_ID}`, timeout: timeoutMs });
  const dev: Harness['dev'] = async (method, path, body) => {
    const res = await fetch(emulator.url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  return {
    emulator,
    client: clientWithTimeout(2000),
    clientWithTimeout,
    dev,
    async codeOf(sessionUuid) {
      const { json } = await dev('GET', '/dev/sessions');
      const found = (json as DevSessions).sessions.find((s) => s.session_uuid === sessionUuid);
      if (!found) throw new Error(`no session ${sessionUuid} in /dev/sessions`);
      return found.code;
    },
  };
}

export interface DevSessions {
  sessions: DevSession[];
}

/** What a rejected SDK promise holds: a string for network errors, an Error-ish object otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the SDK call to reject');
}

export const RFC3339_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
