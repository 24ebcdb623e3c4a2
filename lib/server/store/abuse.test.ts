import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { createAbuseGuards } from './abuse';
import { parseEnv } from '../env';
import { memoryStore } from './shared-store';

const TRIP = {
  event: 'breaker_trip',
  route: { kind: 'prefix', digits: '4474005' },
  sends: 20,
  verified: 0,
} as const;

async function webhook(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push({
        method: request.method,
        type: request.headers['content-type'],
        body: JSON.parse(text),
      });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  return {
    url,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the breaker alerts', () => {
  it('log one line and POST the same JSON to ALERT_WEBHOOK_URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const hook = await webhook((_, response) => response.end('ok'));
    try {
      const { alerts } = createAbuseGuards(parseEnv({ ALERT_WEBHOOK_URL: hook.url }), memoryStore());
      await alerts.tell(TRIP);
      const line = {
        event: 'breaker_trip',
        route: 'prefix',
        digits: '4474005',
        sends: 20,
        verified: 0,
      };
      expect(warn.mock.calls.map(([text]) => JSON.parse(text as string))).toEqual([expect.objectContaining(line)]);
      expect(hook.bodies).toEqual([
        {
          method: 'POST',
          type: 'application/json',
          body: expect.objectContaining(line),
        },
      ]);
    } finally {
      await hook.close();
    }
  });

  it('give up on a webhook that does not answer within ALERT_WEBHOOK_TIMEOUT_MS, and say so in the log', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const hook = await webhook(() => undefined); // never answers
    try {
      const { alerts } = createAbuseGuards(
        parseEnv({
          ALERT_WEBHOOK_URL: hook.url,
          ALERT_WEBHOOK_TIMEOUT_MS: '200',
        }),
        memoryStore(),
      );
      const from = Date.now();
      await alerts.tell(TRIP);
      expect(Date.now() - from).toBeLessThan(2_000);
      expect(JSON.parse(error.mock.calls[0]![0] as string)).toMatchObject({
        event: 'alert_webhook',
        outcome: 'upstream_unavailable',
        reason: 'TimeoutError',
      });
    } finally {
      await hook.close().catch(() => undefined);
    }
  });
});
