// Members vs strangers on the code screen: a member's and a stranger's voice resend ("call me
// instead") side by side, each polled until its delivery status is final. What an attacker
// compares: the states seen, the time to each, the final state.
import { apiClient } from '../../tests/integration/api-client';
import { emulatorControl } from '../../tests/support/emulator';
import { resetLimits } from '../../tests/support/limits';
import { LOCAL_STACK } from '../../lib/local-stack';
import { ms, probabilityGreater, summary } from './stats';

type Stack = { appUrl: string; emulatorUrl: string; redisUrl: string };

/** What one poller saw: each state in the order shown, and ms from the resend to its first sight. */
export type Polled = { states: string[]; msTo: Record<string, number> };

const POLL_MS = 100;
/** Longer than the emulator's call; a delivery not final by then counts as staying where it is. */
const WITHIN_MS = 12_000;
/** The test stack's OTP_RESEND_AFTER_SECONDS, and a little. */
const RESEND_AFTER_MS = 3_100;
const FINAL = ['delivered', 'failed', 'unknown'];

const strangerNumber = (i: number) => `+447400${String(800000 + i).padStart(6, '0')}`;
const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/**
 * `warmUp` member calls alone first (what a site has learned before), then `pairs` rounds of a
 * member's and a stranger's voice resend at the same moment. Limits are reset between rounds, the
 * deliveries learned so far are kept.
 */
export async function voiceResendsSideBySide(stack: Stack, { pairs, warmUp }: { pairs: number; warmUp: number }) {
  const emulator = emulatorControl(stack.emulatorUrl);
  const member: Polled[] = [];
  const stranger: Polled[] = [];
  for (let round = 0; round < warmUp + pairs; round++) {
    // Plivo's session takes five deliveries: each round starts a fresh one.
    await Promise.all([resetLimits(stack.redisUrl, { keepDeliveries: true }), emulator.reset()]);
    const phones = round < warmUp ? [LOCAL_STACK.demoMember.phone] : [LOCAL_STACK.demoMember.phone, strangerNumber(round)];
    const clients = await Promise.all(phones.map((phone, i) => started(stack, phone, `198.51.100.${20 + i}`)));
    await sleep(RESEND_AFTER_MS);
    const [ofMember, ofStranger] = await Promise.all(clients.map(callInstead));
    if (round < warmUp) continue;
    member.push(ofMember!);
    stranger.push(ofStranger!);
  }
  return { member, stranger };
}

async function started(stack: Stack, phone: string, ip: string) {
  const api = apiClient(stack.appUrl, { headers: { 'X-Forwarded-For': ip } });
  const { status, body } = await api.post('/api/auth/start', { phone });
  if (status !== 200) throw new Error(`start: ${status} ${JSON.stringify(body)}`);
  return api;
}

async function callInstead(api: ReturnType<typeof apiClient>): Promise<Polled> {
  const since = performance.now();
  const { status, body } = await api.post('/api/auth/resend', { channel: 'voice' });
  if (status !== 200) throw new Error(`resend: ${status} ${JSON.stringify(body)}`);
  const seen: Polled = { states: [], msTo: {} };
  while (performance.now() - since < WITHIN_MS) {
    const { delivery } = (await api.get('/api/auth/delivery')).body as { delivery: string };
    if (seen.states.at(-1) !== delivery) {
      seen.states.push(delivery);
      seen.msTo[delivery] = performance.now() - since;
    }
    if (FINAL.includes(delivery)) break;
    await sleep(POLL_MS);
  }
  return seen;
}

/** The ms to a state of those that reached it. */
export const timesTo = (polled: Polled[], state: string) => polled.map((p) => p.msTo[state]).filter((t): t is number => t !== undefined);

export async function measureVoiceStatus(stack: Stack, pairs: number) {
  const warmUp = 5;
  const { member, stranger } = await voiceResendsSideBySide(stack, { pairs, warmUp });
  const sequences = (polled: Polled[]) => {
    const counts = new Map<string, number>();
    for (const { states } of polled) counts.set(states.join('→'), (counts.get(states.join('→')) ?? 0) + 1);
    return [...counts].map(([sequence, n]) => `${sequence} ×${n}`).join(', ');
  };
  const lines = [
    `Voice resends, member vs stranger (${pairs} pairs side by side after ${warmUp} member calls, polled every ${POLL_MS} ms until final or ${WITHIN_MS / 1000} s):`,
    `  states member:   ${sequences(member)}`,
    `  states stranger: ${sequences(stranger)}`,
  ];
  for (const state of ['sent', 'delivered']) {
    const [m, s] = [timesTo(member, state), timesTo(stranger, state)];
    const [sm, ss] = [summary(m), summary(s)];
    lines.push(
      `  ms to ${state.padEnd(9)} member   p25 ${ms(sm.p25)}  p50 ${ms(sm.p50)}  p75 ${ms(sm.p75)}  p90 ${ms(sm.p90)} (n ${sm.n})`,
      `  ${''.padEnd(15)} stranger p25 ${ms(ss.p25)}  p50 ${ms(ss.p50)}  p75 ${ms(ss.p75)}  p90 ${ms(ss.p90)} (n ${ss.n})`,
      `  ${''.padEnd(15)} P(stranger slower) = ${probabilityGreater(s, m).toFixed(3)} (0.5 = indistinguishable)`,
    );
  }
  return lines.join('\n');
}
