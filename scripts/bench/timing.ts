// Known vs unknown numbers: do status, body, cookie size or response time tell them apart?
import { resetLimits } from '../../tests/support/limits';
import { emulatorControl, wrongCodeFor } from '../../tests/support/emulator';
import type { TestStack } from '../../dev/stack/test-stack';
import { LOCAL_STACK } from '../../lib/local-stack';
import { ms, probabilityGreater, summary } from './stats';

type Sample = { ms: number; status: number; body: string; cookieLength: number };

async function timedPost(stack: TestStack, path: string, body: unknown, cookie?: string): Promise<Sample & { cookie?: string }> {
  const started = performance.now();
  const response = await fetch(`${stack.appUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.appUrl, ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const elapsed = performance.now() - started;
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { ms: elapsed, status: response.status, body: text, cookieLength: setCookie.length, cookie: setCookie.split(';')[0] || cookie };
}

const unknownNumber = (i: number) => `+447400${String(900000 + (i % 99999)).padStart(6, '0')}`;

export async function measureEnumerationTiming(stack: TestStack, pairs: number) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const known = LOCAL_STACK.demoMember.phone;
  const results = { start: { known: [] as Sample[], unknown: [] as Sample[] }, verify: { known: [] as Sample[], unknown: [] as Sample[] } };

  const warmUp = 20;
  for (let i = 0; i < pairs + warmUp; i++) {
    // Random order in each pair, so drift in the machine's load hits both sides alike.
    const order = Math.random() < 0.5 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
    for (const kind of order) {
      await Promise.all([resetLimits(stack.redisUrl), emulator.reset()]);
      const phone = kind === 'known' ? known : unknownNumber(i);
      const start = await timedPost(stack, '/api/auth/start', { phone });
      // The same steps for both kinds, so the app sees the same pause between start and verify.
      const [sent] = await emulator.sessions(phone);
      const code = sent?.code ?? '123456';
      const verify = await timedPost(stack, '/api/auth/verify', { code: wrongCodeFor(code) }, start.cookie);
      if (i < warmUp) continue;
      results.start[kind].push({ ...start, body: start.body.replace(/"phone":"[^"]*"/, '"phone":"…"') });
      results.verify[kind].push(verify);
    }
  }

  const lines = [`Enumeration timing (${pairs} known/unknown pairs, ${warmUp} warm-up pairs discarded, sequential, loopback):`];
  for (const path of ['start', 'verify'] as const) {
    const { known: k, unknown: u } = results[path];
    const sk = summary(k.map((s) => s.ms));
    const su = summary(u.map((s) => s.ms));
    const same = (f: (s: Sample) => unknown) => new Set([...k, ...u].map((s) => JSON.stringify(f(s)))).size === 1;
    lines.push(
      `  ${path.padEnd(6)} known   p25 ${ms(sk.p25)}  p50 ${ms(sk.p50)}  p75 ${ms(sk.p75)}  p90 ${ms(sk.p90)}`,
      `  ${''.padEnd(6)} unknown p25 ${ms(su.p25)}  p50 ${ms(su.p50)}  p75 ${ms(su.p75)}  p90 ${ms(su.p90)}`,
      `  ${''.padEnd(6)} median difference (unknown - known): ${ms(su.p50 - sk.p50)}; P(unknown slower than known) = ${probabilityGreater(u.map((s) => s.ms), k.map((s) => s.ms)).toFixed(3)} (0.5 = indistinguishable)`,
      `  ${''.padEnd(6)} identical status: ${same((s) => s.status)}, identical body: ${same((s) => s.body)}, identical Set-Cookie length: ${same((s) => s.cookieLength)}`,
    );
  }
  return lines.join('\n');
}
