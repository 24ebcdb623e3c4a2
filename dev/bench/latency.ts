// Latency of a whole sign-in (start, then verify with the right code) against the local stack.
import { resetLimits } from '../../tests/support/limits';
import { emulatorControl } from '../../tests/support/emulator';
import type { TestStack } from '../stack/test-stack';
import { LOCAL_STACK } from '../../lib/local-stack';
import { ms, summary } from './stats';

/** Sign-ins through one instance of the app (`appUrl`: the session or the static strategy's). */
export async function measureSignInLatency(stack: TestStack, runs: number, { appUrl, strategy }: { appUrl: string; strategy: string }) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const phone = LOCAL_STACK.demoMember.phone;
  const post = async (path: string, body: unknown, cookie?: string) => {
    const started = performance.now();
    const response = await fetch(`${appUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: appUrl, ...(cookie ? { Cookie: cookie } : {}) },
      body: JSON.stringify(body),
    });
    await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return { ms: performance.now() - started, cookie: response.headers.get('set-cookie')?.split(';')[0] };
  };

  const start: number[] = [];
  const verify: number[] = [];
  const warmUp = 10;
  for (let i = 0; i < runs + warmUp; i++) {
    await Promise.all([resetLimits(stack.redisUrl), emulator.reset()]);
    const started = await post('/api/auth/start', { phone });
    const verified = await post('/api/auth/verify', { code: await emulator.latestCode(phone) }, started.cookie);
    if (i < warmUp) continue;
    start.push(started.ms);
    verify.push(verified.ms);
  }
  const s = summary(start);
  const v = summary(verify);
  return [
    `Sign-in latency, ${strategy} strategy (${runs} sign-ins of the demo member after ${warmUp} warm-up, production build, local Directus + emulator, Redis limits):`,
    `  POST /api/auth/start   p50 ${ms(s.p50)}  p90 ${ms(s.p90)}`,
    `  POST /api/auth/verify  p50 ${ms(v.p50)}  p90 ${ms(v.p90)}`,
  ].join('\n');
}
