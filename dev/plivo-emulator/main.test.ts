// The CLI as `npm run emulator` runs it: one URL line, masked logs, clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { LOCAL_STACK } from '../../lib/local-stack';

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

it('listens, logs without phone numbers or codes, and stops on SIGTERM', async () => {
  const child = spawn(TSX, [MAIN, '--port', '0', '--expiry-seconds', '30'], {
    env: { ...process.env, PLIVO_AUTH_ID: '', PLIVO_AUTH_TOKEN: '', PLIVO_APP_UUID: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  try {
    const deadline = Date.now() + 8000;
    while (!/listening on (http:\S+)/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(url, output).toBeDefined();
    expect(output.trim().split('\n')).toHaveLength(1);

    // Local defaults from lib/local-stack.ts when the environment leaves them empty.
    const { authId, authToken, appUuid } = LOCAL_STACK.plivo;
    const res = await fetch(`${url}/v1/Account/${authId}/Verify/Session/`, {
      method: 'POST',
      headers: { Authorization: 'Basic ' + Buffer.from(`${authId}:${authToken}`).toString('base64'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ recipient: '+447400123456', app_uuid: appUuid }),
    });
    expect(res.status).toBe(200);
    const { sessions } = (await (await fetch(`${url}/dev/sessions`)).json()) as { sessions: Array<{ code: string; created_at: string }> };
    const code = sessions[0]?.code ?? 'missing';
    await new Promise((r) => setTimeout(r, 50));

    expect(output).toContain('+44******456');
    expect(output).not.toContain('447400123456');
    expect(output).not.toContain(code);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(output).toContain('SIGTERM: stopping');
}, 15_000);
