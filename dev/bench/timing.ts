// Members vs strangers: do status, body, cookie size or response time of start, resend and verify
// tell them apart, before and after an attacker's burst against their own (member) number? Through
// the JSON API, and through the plain form posts of a page without JavaScript.
import { resetLimits } from '../../tests/support/limits';
import { emulatorControl, wrongCodeFor } from '../../tests/support/emulator';
import type { TestStack } from '../stack/test-stack';
import { LOCAL_STACK } from '../../lib/local-stack';
import { ms, probabilityGreater, summary } from './stats';

type Sample = { ms: number; status: number; body: string; cookieLength: number };
type Step = 'start' | 'resend' | 'verify';
/** How the steps are asked: the JSON API, or the form posts (POST /api/auth/form) answered with a page. */
type Transport = 'api' | 'form';
const STEPS: readonly Step[] = ['start', 'resend', 'verify'];
const MEMBERS = 20;

const memberNumber = (i: number) => `+4474001000${String(i).padStart(2, '0')}`;
const strangerNumber = (i: number) => `+447400${String(900000 + (i % 99999)).padStart(6, '0')}`;

export async function measureEnumerationTiming(stack: TestStack, pairs: number) {
  await seedMembers(stack);
  const before = await measurePairs(stack, pairs);
  await burstAgainst(stack, memberNumber(0));
  // Straight after the burst, before any member's traffic refreshes the samples: the worst case.
  const strangersRightAfter: Array<Record<Step, Sample>> = [];
  for (let i = 0; i < 50; i++) strangersRightAfter.push(await signInSteps(stack, strangerNumber(pairs + i)));
  const after = await measurePairs(stack, pairs);
  const p50 = (step: Step) => ms(summary(strangersRightAfter.map((samples) => samples[step].ms)).p50);
  return [
    `Members vs strangers (${pairs} pairs over ${MEMBERS} members, 20 warm-up pairs discarded, sequential, loopback; limits reset between steps):`,
    ...report('before any burst', before),
    `  after 3 bursts against member ${memberNumber(0).slice(0, 6)}… (5 starts, 5 resends, 20 parallel wrong codes each):`,
    `    50 strangers straight after the burst, p50: start ${p50('start')}, resend ${p50('resend')}, verify ${p50('verify')}`,
    ...report('then, pairs again', after),
    ...report(
      'the same steps as plain form posts (POST /api/auth/form; body: the page it answers with)',
      await measurePairs(stack, pairs, 'form'),
    ),
  ].join('\n');
}

async function measurePairs(stack: TestStack, pairs: number, transport: Transport = 'api') {
  const results = Object.fromEntries(STEPS.map((step) => [step, { member: [] as Sample[], stranger: [] as Sample[] }])) as Record<
    Step,
    { member: Sample[]; stranger: Sample[] }
  >;
  const warmUp = 20;
  for (let i = 0; i < pairs + warmUp; i++) {
    // Random order in each pair, so drift in the machine's load hits both sides alike.
    const order = Math.random() < 0.5 ? (['member', 'stranger'] as const) : (['stranger', 'member'] as const);
    for (const kind of order) {
      const samples = await signInSteps(stack, kind === 'member' ? memberNumber(i % MEMBERS) : strangerNumber(i), transport);
      if (i < warmUp) continue;
      for (const step of STEPS) results[step][kind].push(samples[step]);
    }
  }
  return results;
}

/** Start, resend and a wrong code for one number, with the limits reset in between. */
async function signInSteps(stack: TestStack, phone: string, transport: Transport = 'api'): Promise<Record<Step, Sample>> {
  const emulator = emulatorControl(stack.emulatorUrl);
  const ask = (step: Step, fields: Record<string, string>, cookie?: string) =>
    transport === 'api'
      ? timedPost(stack, `/api/auth/${step}`, fields, cookie)
      : timedForm(stack, { intent: step === 'resend' ? 'sms' : step, ...fields }, cookie);
  await Promise.all([resetLimits(stack.redisUrl), emulator.reset()]);
  const start = await ask('start', { phone });
  await resetLimits(stack.redisUrl); // past the resend cooldown
  const resend = await ask('resend', {}, start.cookie);
  // The same steps for both kinds, so the app sees the same pause before verify.
  const [sent] = await emulator.sessions(phone);
  const verify = await ask('verify', { code: wrongCodeFor(sent?.code ?? '123456') }, resend.cookie);
  const anonymous = (sample: Sample) => ({ ...sample, body: sample.body.replace(/"phone":"[^"]*"/, '"phone":"…"') });
  return { start: anonymous(start), resend: anonymous(resend), verify };
}

/** What an attacker does to their own number to steer the imitation: bursts of every step. */
async function burstAgainst(stack: TestStack, phone: string) {
  for (let round = 0; round < 3; round++) {
    await resetLimits(stack.redisUrl);
    const starts = await Promise.all(
      Array.from({ length: 5 }, (_, i) => timedPost(stack, '/api/auth/start', { phone }, undefined, `192.0.2.${i}`)),
    );
    await resetLimits(stack.redisUrl);
    await Promise.all(starts.map((start, i) => timedPost(stack, '/api/auth/resend', {}, start.cookie, `192.0.2.${i}`)));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        timedPost(stack, '/api/auth/verify', { code: '000000' }, starts[i % starts.length]!.cookie, `192.0.2.${i}`),
      ),
    );
  }
}

function report(title: string, results: Awaited<ReturnType<typeof measurePairs>>) {
  const lines = [`  ${title}:`];
  for (const step of STEPS) {
    const { member: m, stranger: s } = results[step];
    const sm = summary(m.map((x) => x.ms));
    const ss = summary(s.map((x) => x.ms));
    const same = (f: (x: Sample) => unknown) => new Set([...m, ...s].map((x) => JSON.stringify(f(x)))).size === 1;
    lines.push(
      `    ${step.padEnd(6)} member   p25 ${ms(sm.p25)}  p50 ${ms(sm.p50)}  p75 ${ms(sm.p75)}  p90 ${ms(sm.p90)}`,
      `    ${''.padEnd(6)} stranger p25 ${ms(ss.p25)}  p50 ${ms(ss.p50)}  p75 ${ms(ss.p75)}  p90 ${ms(ss.p90)}`,
      `    ${''.padEnd(6)} median difference (stranger - member): ${ms(ss.p50 - sm.p50)}; P(stranger slower) = ${probabilityGreater(
        s.map((x) => x.ms),
        m.map((x) => x.ms),
      ).toFixed(3)} (0.5 = indistinguishable)`,
      `    ${''.padEnd(6)} identical status: ${same((x) => x.status)}, body: ${same((x) => x.body)}, Set-Cookie length: ${same((x) => x.cookieLength)}`,
    );
  }
  return lines;
}

function timedPost(stack: TestStack, path: string, body: unknown, cookie?: string, ip = '198.51.100.10') {
  return timed(`${stack.appUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: stack.appUrl, 'X-Forwarded-For': ip, ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
}

/** A plain form post, as a page without JavaScript makes it; its answer is the page it sends the browser to. */
function timedForm(stack: TestStack, fields: Record<string, string>, cookie?: string) {
  return timed(`${stack.appUrl}/api/auth/form`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: stack.appUrl,
      'X-Forwarded-For': '198.51.100.10',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

async function timed(url: string, init: RequestInit): Promise<Sample & { cookie?: string }> {
  const cookie = (init.headers as Record<string, string>).Cookie;
  const started = performance.now();
  const response = await fetch(url, init);
  const text = (await response.text()) || (response.headers.get('location') ?? '');
  const elapsed = performance.now() - started;
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { ms: elapsed, status: response.status, body: text, cookieLength: setCookie.length, cookie: setCookie.split(';')[0] || cookie };
}

/** Members of the demo member's role, so the imitation draws on many numbers as on a real site. */
async function seedMembers(stack: TestStack) {
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.directusUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}`, 'Content-Type': 'application/json' },
    }).then(async (response) => {
      if (!response.ok) throw new Error(`Directus ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { data: Array<{ role: string }> };
    });
  const { data } = await admin(`/users?filter[phone][_eq]=${encodeURIComponent(LOCAL_STACK.demoMember.phone)}&fields=role`);
  const role = data[0]!.role;
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ first_name: `Bench ${i}`, phone: memberNumber(i), role, status: 'active' }));
  await admin('/users', { method: 'POST', body: JSON.stringify(members) });
}
