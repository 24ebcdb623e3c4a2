// What the pass-through adds: the same GET of the members collection through /api/directus/… and
// straight to Directus with the same person's credential, interleaved so both see the same load.
import type { TestStack } from '../stack/test-stack';
import { LOCAL_STACK } from '../../lib/local-stack';
import { emulatorControl } from '../../tests/support/emulator';
import { resetLimits } from '../../tests/support/limits';
import { credentialIn } from '../../tests/support/session';
import { apiClient } from '../../tests/integration/api-client';
import { ms, summary } from './stats';

const PATH = '/items/member_news?fields=id,title,summary,image&sort=sort';

export async function measurePassThroughLatency(
  stack: TestStack,
  runs: number,
  { appUrl, strategy }: { appUrl: string; strategy: string },
) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const phone = LOCAL_STACK.demoMember.phone;
  const app = apiClient(appUrl);
  await Promise.all([resetLimits(stack.redisUrl), emulator.reset()]);
  await app.post('/api/auth/start', { phone });
  if ((await app.post('/api/auth/verify', { code: await emulator.latestCode(phone) })).status !== 200)
    throw new Error('bench sign-in failed');
  const token = await credentialIn(app.cookie?.split('=').slice(1).join('='), stack.appEnv.SESSION_SECRET!);

  const timed = async (url: string, headers: Record<string, string>, status = 200) => {
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== status) throw new Error(`${url} answered ${response.status}`);
    return performance.now() - started;
  };
  const viaApp = () => timed(`${appUrl}/api/directus${PATH}`, { Cookie: app.cookie! });
  const direct = () => timed(`${stack.directusUrl}${PATH}`, { Authorization: `Bearer ${token}` });
  // The same cookie, refused before any Directus call: what Next and the app's frame cost alone.
  const refused = () => timed(`${appUrl}/api/directus/users`, { Cookie: app.cookie! }, 403);

  const samples = { through: [] as number[], straight: [] as number[], refused: [] as number[] };
  const warmUp = 10;
  for (let i = 0; i < runs + warmUp; i++) {
    // Which goes first alternates, so that neither always meets the warmer Directus.
    let [a, b] = [0, 0];
    if (i % 2) [a, b] = [await viaApp(), await direct()];
    else [b, a] = [await direct(), await viaApp()];
    const c = await refused();
    if (i < warmUp) continue;
    samples.through.push(a);
    samples.straight.push(b);
    samples.refused.push(c);
  }
  const [t, d, r] = [summary(samples.through), summary(samples.straight), summary(samples.refused)];
  return [
    `Pass-through latency, ${strategy} strategy (${runs} GETs of ${PATH.split('?')[0]} each way after ${warmUp} warm-up, interleaved, same credential):`,
    `  via /api/directus              p50 ${ms(t.p50)}  p90 ${ms(t.p90)}`,
    `  straight to Directus           p50 ${ms(d.p50)}  p90 ${ms(d.p90)}`,
    `  added by the pass-through      p50 ${ms(t.p50 - d.p50)}  p90 ${ms(t.p90 - d.p90)}`,
    `  a refused GET (no Directus)    p50 ${ms(r.p50)}  p90 ${ms(r.p90)}`,
  ].join('\n');
}
