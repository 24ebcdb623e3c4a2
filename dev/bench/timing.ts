// Members vs strangers: do status, body, cookie size or response time of start, resend and verify
// tell them apart, before and after an attacker's burst against their own (member) number? Through
// the JSON API, and through the plain form posts of a page without JavaScript. And the passkey
// sign-in's one refusal: a passkey nobody registered against a member's removed passkey and a
// suspended member's.
import { randomBytes } from 'node:crypto';

import { resetLimits } from '../../tests/support/limits';
import { emulatorControl, wrongCodeFor } from '../../tests/support/emulator';
import { SoftwareAuthenticator } from '../../tests/support/software-authenticator';
import type { TestStack } from '../stack/test-stack';
import { LOCAL_STACK } from '../../lib/local-stack';
import { ms, probabilityGreater, summary } from './stats';

type Sample = { ms: number; status: number; body: string; cookieLength: number };
type Step = 'start' | 'resend' | 'verify';
/** How the steps are asked: the JSON API, or the form posts (POST /api/auth/form) answered with a page. */
type Transport = 'api' | 'form';
type Kind = 'member' | 'stranger';
/** Each step's samples of both kinds. */
type Pairs = Record<string, Record<Kind, Sample[]>>;
const MEMBERS = 20;

const memberNumber = (i: number) => `+4474001000${String(i).padStart(2, '0')}`;
const strangerNumber = (i: number) => `+447400${String(900000 + (i % 99999)).padStart(6, '0')}`;

export async function measureEnumerationTiming(stack: TestStack, pairs: number) {
  await seedMembers(stack);
  const smsPairs = (transport: Transport = 'api') =>
    measurePairs(pairs, (kind, i) => signInSteps(stack, kind === 'member' ? memberNumber(i % MEMBERS) : strangerNumber(i), transport));
  const before = await smsPairs();
  await burstAgainst(stack, memberNumber(0));
  // Straight after the burst, before any member's traffic refreshes the samples: the worst case.
  const strangersRightAfter: Array<Record<Step, Sample>> = [];
  for (let i = 0; i < 50; i++) strangersRightAfter.push(await signInSteps(stack, strangerNumber(pairs + i)));
  const after = await smsPairs();
  const p50 = (step: Step) => ms(summary(strangersRightAfter.map((samples) => samples[step].ms)).p50);
  return [
    `Members vs strangers (${pairs} pairs over ${MEMBERS} members, 20 warm-up pairs discarded, sequential, loopback; limits reset between steps):`,
    ...report('before any burst', before),
    `  after 3 bursts against member ${memberNumber(0).slice(0, 6)}… (5 starts, 5 resends, 20 parallel wrong codes each):`,
    `    50 strangers straight after the burst, p50: start ${p50('start')}, resend ${p50('resend')}, verify ${p50('verify')}`,
    ...report('then, pairs again', after),
    ...report('the same steps as plain form posts (POST /api/auth/form; body: the page it answers with)', await smsPairs('form')),
    ...report(
      "passkey sign-in (options, then the refused sign-in; member: a removed passkey's and a suspended member's, stranger: a passkey nobody registered)",
      await measurePairs(pairs, await passkeyRefusals(stack)),
    ),
  ].join('\n');
}

/** `pairs` of a member's steps and a stranger's (after 20 warm-up pairs), in random order in each pair. */
async function measurePairs(pairs: number, stepsOf: (kind: Kind, i: number) => Promise<Record<string, Sample>>): Promise<Pairs> {
  const results: Pairs = {};
  const warmUp = 20;
  for (let i = 0; i < pairs + warmUp; i++) {
    // Random order in each pair, so drift in the machine's load hits both sides alike.
    const order: Kind[] = Math.random() < 0.5 ? ['member', 'stranger'] : ['stranger', 'member'];
    for (const kind of order) {
      const samples = await stepsOf(kind, i);
      if (i < warmUp) continue;
      for (const [step, sample] of Object.entries(samples)) (results[step] ??= { member: [], stranger: [] })[kind].push(sample);
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

function report(title: string, results: Pairs) {
  const lines = [`  ${title}:`];
  const width = Math.max(6, ...Object.keys(results).map((step) => step.length));
  for (const [step, { member: m, stranger: s }] of Object.entries(results)) {
    const sm = summary(m.map((x) => x.ms));
    const ss = summary(s.map((x) => x.ms));
    const same = (f: (x: Sample) => unknown) => new Set([...m, ...s].map((x) => JSON.stringify(f(x)))).size === 1;
    lines.push(
      `    ${step.padEnd(width)} member   p25 ${ms(sm.p25)}  p50 ${ms(sm.p50)}  p75 ${ms(sm.p75)}  p90 ${ms(sm.p90)}`,
      `    ${''.padEnd(width)} stranger p25 ${ms(ss.p25)}  p50 ${ms(ss.p50)}  p75 ${ms(ss.p75)}  p90 ${ms(ss.p90)}`,
      `    ${''.padEnd(width)} median difference (stranger - member): ${ms(ss.p50 - sm.p50)}; P(stranger slower) = ${probabilityGreater(
        s.map((x) => x.ms),
        m.map((x) => x.ms),
      ).toFixed(3)} (0.5 = indistinguishable)`,
      `    ${''.padEnd(width)} identical status: ${same((x) => x.status)}, body: ${same((x) => x.body)}, Set-Cookie length: ${same((x) => x.cookieLength)}`,
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

/** Directus's admin API of the test stack; the answer's `data`. */
function adminOf(stack: TestStack) {
  return <T>(path: string, init: RequestInit = {}) =>
    fetch(`${stack.directusUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${LOCAL_STACK.directus.adminToken}`, 'Content-Type': 'application/json' },
    }).then(async (response) => {
      if (!response.ok) throw new Error(`Directus ${path}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { data: T }).data;
    });
}

/**
 * Members of the demo member's role, so the imitation draws on many numbers as on a real site,
 * and the passkey part's two beyond them.
 */
async function seedMembers(stack: TestStack) {
  const admin = adminOf(stack);
  const [{ role }] = await admin<[{ role: string }]>(
    `/users?filter[phone][_eq]=${encodeURIComponent(LOCAL_STACK.demoMember.phone)}&fields=role`,
  );
  const members = Array.from({ length: MEMBERS + 2 }, (_, i) => ({
    first_name: `Bench ${i}`,
    phone: memberNumber(i),
    role,
    status: 'active',
  }));
  await admin('/users', { method: 'POST', body: JSON.stringify(members) });
}

function expectAnswer(sample: Sample, status: number, what: string) {
  if (sample.status !== status) throw new Error(`${what} answered ${sample.status}: ${sample.body.slice(0, 200)}`);
}

/**
 * The passkey sign-in's refusal, set up and measured: the member's side tries a member's removed
 * passkey and a suspended member's (each added through the app after an SMS sign-in), in random
 * order; the stranger's side a passkey nobody registered. Each try is its own ceremony (options,
 * then the sign-in), whose challenge the options' body is compared without.
 */
async function passkeyRefusals(stack: TestStack): Promise<(kind: Kind) => Promise<Record<string, Sample>>> {
  const emulator = emulatorControl(stack.emulatorUrl);
  // The origin the test stack's Directus allows for this app: as a browser on localhost names it.
  const rp = { origin: `http://localhost:${new URL(stack.appUrl).port}`, rpId: 'localhost' };
  const addPasskey = async (phone: string) => {
    await Promise.all([resetLimits(stack.redisUrl), emulator.reset()]);
    const started = await timedPost(stack, '/api/auth/start', { phone });
    const signedIn = await timedPost(stack, '/api/auth/verify', { code: await emulator.latestCode(phone) }, started.cookie);
    expectAnswer(signedIn, 200, 'verify');
    const ceremony = await timedPost(stack, '/api/auth/passkey/add/options', {}, signedIn.cookie);
    expectAnswer(ceremony, 200, 'passkey add options');
    const { options } = JSON.parse(ceremony.body) as { options: { challenge: string; user: { id: string } } };
    const authenticator = new SoftwareAuthenticator();
    const response = authenticator.register({ ...rp, challenge: options.challenge, userHandle: options.user.id });
    const added = await timedPost(stack, '/api/auth/passkey/add', { response }, ceremony.cookie);
    expectAnswer(added, 200, 'passkey add');
    return { authenticator, id: (JSON.parse(added.body) as { passkey: { id: string } }).passkey.id, cookie: added.cookie };
  };

  const removed = await addPasskey(memberNumber(MEMBERS));
  expectAnswer(await timedPost(stack, '/api/auth/passkey/remove', { id: removed.id }, removed.cookie), 200, 'passkey remove');
  const suspended = await addPasskey(memberNumber(MEMBERS + 1));
  const admin = adminOf(stack);
  const [{ id: suspendedId }] = await admin<[{ id: string }]>(
    `/users?filter[phone][_eq]=${encodeURIComponent(memberNumber(MEMBERS + 1))}&fields=id`,
  );
  await admin(`/users/${suspendedId}`, { method: 'PATCH', body: JSON.stringify({ status: 'suspended' }) });

  const attempt = async (authenticator: SoftwareAuthenticator) => {
    let options = await timedPost(stack, '/api/auth/passkey/sign-in/options', {});
    // Without options there is no sign-in to time: a Directus too slow for the app's timeout on a
    // busy machine (503) gets two more tries, whoever the side.
    for (let tries = 1; options.status === 503 && tries < 3; tries++)
      options = await timedPost(stack, '/api/auth/passkey/sign-in/options', {});
    expectAnswer(options, 200, 'passkey sign-in options');
    const { challenge } = (JSON.parse(options.body) as { options: { challenge: string } }).options;
    const signIn = await timedPost(
      stack,
      '/api/auth/passkey/sign-in',
      { response: authenticator.assert({ ...rp, challenge }) },
      options.cookie,
    );
    return { options: { ...options, body: options.body.replace(/"challenge":"[^"]*"/, '"challenge":"…"') }, signIn };
  };
  return async (kind) => {
    await resetLimits(stack.redisUrl);
    if (kind === 'stranger') {
      const nobodys = new SoftwareAuthenticator();
      nobodys.userHandle = randomBytes(32).toString('base64url');
      const { options, signIn } = await attempt(nobodys);
      return { options, 'removed passkey': signIn, 'suspended member': signIn };
    }
    const members = [removed, suspended];
    if (Math.random() < 0.5) members.reverse();
    const [first, second] = [await attempt(members[0]!.authenticator), await attempt(members[1]!.authenticator)];
    const [ofRemoved, ofSuspended] = members[0] === removed ? [first, second] : [second, first];
    // The first try's options, which like the stranger's come first after the limits' reset.
    return { options: first.options, 'removed passkey': ofRemoved.signIn, 'suspended member': ofSuspended.signIn };
  };
}
