// Status callbacks: fields, order, GET/POST encoding, and the V2 signature checked with the SDK's
// own validateSignature.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import plivo from 'plivo';
import { describe, it, type TestContext } from 'vitest';
import { AUTH_TOKEN, PHONE, startHarness, type Harness } from './test-support';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  fields: URLSearchParams;
  /** performance.now() when it arrived. */
  at: number;
}

/** Long enough for a call's callbacks (delivery.ts), with room for a loaded machine. */
const CALL_MS = 6_000;

interface Bench {
  h: Harness;
  receiverUrl: string;
  received: Received[];
  logLines: string[];
  /** Waits for `count` callbacks in all; a call takes longer than a text (delivery.ts). */
  waitFor(count: number, withinMs?: number): Promise<Received[]>;
}

/**
 * An emulator and a callback receiver of the test's own, closed when it finishes: the cases mostly
 * wait for the emulator's scheduled callbacks, so they run at the same time, and one case's clock,
 * recipient rules and callbacks cannot reach another's. The test's own `expect` and
 * `onTestFinished`: with tests running at once, the global ones may belong to another test.
 */
async function startBench({ expect, onTestFinished }: Pick<TestContext, 'expect' | 'onTestFinished'>): Promise<Bench> {
  const logLines: string[] = [];
  const received: Received[] = [];
  const h = await startHarness({ log: (line) => logLines.push(line) });
  let receiverUrl = '';
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', receiverUrl);
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        fields: req.method === 'GET' ? url.searchParams : new URLSearchParams(body),
        at: performance.now(),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  onTestFinished(async () => {
    await h.emulator.close();
    await new Promise((resolve) => receiver.close(resolve));
  });
  return {
    h,
    receiverUrl,
    received,
    logLines,
    async waitFor(count, withinMs = 2_000) {
      const deadline = Date.now() + withinMs;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(received).toHaveLength(count);
      return received;
    },
  };
}

const signatureOk = (r: Received, fullUrl: string, token = AUTH_TOKEN) =>
  plivo.validateSignature(fullUrl, String(r.headers['x-plivo-signature-v2-nonce']), String(r.headers['x-plivo-signature-v2']), token);

describe.concurrent('status callbacks', () => {
  it('POSTs signed, form-encoded attempt events in order, then the verified event', async ({ expect, onTestFinished }) => {
    const { h, receiverUrl, waitFor } = await startBench({ expect, onTestFinished });
    const url = `${receiverUrl}/plivo/status?site=demo`;
    const { sessionUuid } = await h.client.verify_session.create({ recipient: PHONE, url });
    const attempts = await waitFor(3);
    expect(attempts.map((r) => r.fields.get('ChannelStatus'))).toEqual(['queued', 'sent', 'delivered']);
    const first = attempts[0]!;
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/plivo/status?site=demo');
    expect(first.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const got = await h.client.verify_session.get(sessionUuid);
    expect(Object.fromEntries(first.fields)).toEqual({
      SessionUUID: sessionUuid,
      AttemptUUID: got.attemptDetails[0].attemptUuid,
      AttemptSequence: '1',
      Channel: 'sms',
      ChannelStatus: 'queued',
      ChannelErrorCode: '',
      Recipient: '447400123456',
      RequestTime: got.attemptDetails[0].time,
      SessionStatus: 'in-progress',
      Locale: 'en',
      Brandname: '',
      CodeLength: '6',
      AppHash: '',
    });
    expect(first.headers['x-plivo-signature-v2-nonce']).toMatch(/^\d{20}$/);
    expect(signatureOk(first, url)).toBe(true);
    expect(signatureOk(first, url, 'another-token')).toBe(false);

    await h.client.verify_session.validate({ id: sessionUuid, otp: await h.codeOf(sessionUuid) });
    const verified = (await waitFor(4))[3]!;
    expect(verified.fields.get('SessionStatus')).toBe('verified');
    expect(signatureOk(verified, url)).toBe(true);
  });

  it('reports after the answer, spread out like a delivery: queued after a network hop, delivered about a second later', async ({
    expect,
    onTestFinished,
  }) => {
    const { h, receiverUrl, received, waitFor } = await startBench({ expect, onTestFinished });
    const asked = performance.now();
    await h.client.verify_session.create({ recipient: PHONE, url: `${receiverUrl}/cb/timing` });
    expect(received).toHaveLength(0);
    const [queued, sent, delivered] = await waitFor(3);
    // Timers never fire early: each step is at least its delay after the emulator took the call,
    // which came after it was asked. (From the answer instead, a busy machine's late answer ate
    // into the hop.)
    expect(queued!.at - asked).toBeGreaterThanOrEqual(50);
    expect(sent!.at - asked).toBeGreaterThanOrEqual(250);
    expect(delivered!.at - asked).toBeGreaterThanOrEqual(1_000);
  });

  it(
    'reports a call like a call: ringing after a network hop, answered about a second later, completed seconds after that',
    async ({ expect, onTestFinished }) => {
      const { h, receiverUrl, waitFor } = await startBench({ expect, onTestFinished });
      // Measured from before the create: a callback can arrive late on a busy machine, never early.
      const asked = performance.now();
      await h.client.verify_session.create({ recipient: PHONE, url: `${receiverUrl}/cb/call`, channel: 'voice' });
      const [ringing, inProgress, completed] = await waitFor(3, CALL_MS);
      expect(ringing!.at - asked).toBeGreaterThanOrEqual(50);
      expect(inProgress!.at - asked).toBeGreaterThanOrEqual(1_000);
      // A call lasts while the code is read out, several times a text's delivery.
      expect(completed!.at - asked).toBeGreaterThanOrEqual(4_000);
    },
    CALL_MS * 2,
  );

  it(
    'sends a GET with the fields in the query when method is GET; the signature ignores the query',
    async ({ expect, onTestFinished }) => {
      const { h, receiverUrl, waitFor } = await startBench({ expect, onTestFinished });
      const url = `${receiverUrl}/cb/get`;
      const { sessionUuid } = await h.client.verify_session.create({ recipient: PHONE, url, method: 'GET', channel: 'voice' });
      const events = await waitFor(3, CALL_MS);
      expect(events.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
      expect(events.map((r) => r.fields.get('ChannelStatus'))).toEqual(['ringing', 'in-progress', 'completed']);
      expect(events[0]!.fields.get('SessionUUID')).toBe(sessionUuid);
      expect(signatureOk(events[0]!, `${receiverUrl}${events[0]!.url}`)).toBe(true);
    },
    CALL_MS * 2,
  );

  it('reports expiry once when the clock passes the expiry time', async ({ expect, onTestFinished }) => {
    const { h, receiverUrl, waitFor } = await startBench({ expect, onTestFinished });
    const url = `${receiverUrl}/cb/expiry`;
    await h.client.verify_session.create({ recipient: PHONE, url });
    await waitFor(3);
    await h.dev('POST', '/dev/clock', { advanceSeconds: 601 });
    await h.dev('POST', '/dev/clock', { advanceSeconds: 1 });
    const events = await waitFor(4);
    expect(events[3]!.fields.get('SessionStatus')).toBe('expired');
  });

  it.for([
    ['450', 'failed', '450'],
    ['451', 'failed', '451'],
    ['452', 'failed', '452'],
    ['failed', 'failed', ''],
    ['undelivered', 'undelivered', ''],
  ])(
    'failSms %s: the text goes queued, sent, then %s with ChannelErrorCode "%s"; a call still gets through',
    { timeout: CALL_MS * 2 },
    async ([failSms, channelStatus, errorCode], { expect, onTestFinished }) => {
      const { h, receiverUrl, waitFor } = await startBench({ expect, onTestFinished });
      expect((await h.dev('POST', '/dev/recipients', { recipient: PHONE, failSms })).status).toBe(200);
      const url = `${receiverUrl}/cb/fail`;
      const { sessionUuid } = await h.client.verify_session.create({ recipient: PHONE, url });
      const texts = await waitFor(3);
      expect(texts.map((r) => [r.fields.get('ChannelStatus'), r.fields.get('ChannelErrorCode')])).toEqual([
        ['queued', ''],
        ['sent', ''],
        [channelStatus, errorCode],
      ]);
      expect(signatureOk(texts[2]!, url)).toBe(true);
      expect((await h.client.verify_session.get(sessionUuid)).attemptDetails[0].status).toBe(channelStatus);

      await h.client.verify_session.create({ recipient: PHONE, url, channel: 'voice' });
      const call = (await waitFor(6, CALL_MS)).slice(3);
      expect(call.map((r) => r.fields.get('ChannelStatus'))).toEqual(['ringing', 'in-progress', 'completed']);
      await h.client.verify_session.validate({ id: sessionUuid, otp: await h.codeOf(sessionUuid) });
      expect((await waitFor(7))[6]!.fields.get('ChannelErrorCode')).toBe('');
    },
  );

  it('numbers resend attempts and never holds up the API when the receiver is down', async ({ expect, onTestFinished }) => {
    const { h, receiverUrl, logLines, waitFor } = await startBench({ expect, onTestFinished });
    const down = 'http://127.0.0.1:9/unreachable';
    await h.client.verify_session.create({ recipient: PHONE, url: down });
    await h.client.verify_session.create({ recipient: PHONE, url: `${receiverUrl}/cb/resend` });
    const events = await waitFor(3);
    expect(events.map((r) => r.fields.get('AttemptSequence'))).toEqual(['2', '2', '2']);
    const deadline = Date.now() + 2000;
    while (!logLines.some((l) => l.includes('failed')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(logLines.some((l) => /callback POST http:\/\/127\.0\.0\.1:9 failed/.test(l))).toBe(true);
  });
});
