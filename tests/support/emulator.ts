// The Plivo emulator's developer endpoints, as tests use them.
import type { DevSession } from '../../dev/plivo-emulator/dev-routes';

/** How the emulator makes a number's texts fail (its README, recipient rules). */
export type SmsFailure = '450' | '451' | '452' | 'failed' | 'undelivered';

export function emulatorControl(baseUrl: string) {
  async function send(method: string, path: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  }
  return {
    async sessions(recipient: string): Promise<DevSession[]> {
      const body = (await send('GET', `/dev/sessions?recipient=${encodeURIComponent(recipient)}`)) as { sessions: DevSession[] };
      return body.sessions;
    },
    /** The code of the newest session for this number; fails if none was sent. */
    async latestCode(recipient: string): Promise<string> {
      const [newest] = await this.sessions(recipient);
      if (!newest) throw new Error(`no code was sent to ${recipient}`);
      return newest.code;
    },
    reset: () => send('POST', '/dev/reset'),
    advanceClock: (seconds: number) => send('POST', '/dev/clock', { advanceSeconds: seconds }),
    fault: (fault: {
      endpoint: string;
      kind: 'latency' | 'status' | 'hang' | 'malformed';
      ms?: number;
      status?: number;
      body?: string;
      times?: number;
    }) => send('POST', '/dev/faults', fault),
    clearFaults: () => send('DELETE', '/dev/faults'),
    /** How Plivo treats a number, or every number with this prefix (README of the emulator). */
    recipientRule: (rule: { recipient: string; refuse?: 'geo' | 'invalid' | 'rate_limit'; maxAttempts?: number; failSms?: SmsFailure }) =>
      send('POST', '/dev/recipients', rule),
  };
}

/** A code that is certainly not `code`. */
export function wrongCodeFor(code: string): string {
  return code.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10));
}
