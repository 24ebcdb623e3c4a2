// Injected faults, observed through the SDK the way the app will see them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// The app's own reading of an SDK rejection: the emulator must fail in the way the app understands.
import { plivoErrorStatus } from '../../lib/server/plivo-errors';
import { PHONE, rejectionOf, startHarness, type Harness } from './test-support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());
beforeEach(() => h.dev('POST', '/dev/reset'));

const create = () => h.client.verify_session.create({ recipient: PHONE });
const arm = async (fault: Record<string, unknown>) => expect((await h.dev('POST', '/dev/faults', fault)).status).toBe(200);

describe('faults', () => {
  it('latency delays the answer, which then arrives normally, for `times` requests only', async () => {
    const { sessionUuid } = await create();
    await arm({ endpoint: 'get', kind: 'latency', ms: 250, times: 1 });
    let started = performance.now();
    expect((await h.client.verify_session.get(sessionUuid)).sessionUuid).toBe(sessionUuid);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    started = performance.now();
    await h.client.verify_session.get(sessionUuid);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('status answers 503 with a Plivo-style body; the SDK hides the status in its message', async () => {
    await arm({ endpoint: 'create', kind: 'status', times: 1 });
    const err = await rejectionOf(create());
    expect((err as Error).message).toBe('AxiosError: Request failed with status code 503');
    expect((err as { status?: number }).status).toBeUndefined();
    expect(plivoErrorStatus(err)).toBe(503);
    expect((await create()).message).toBe('Session initiated'); // times: 1 is used up
  });

  it('status with a body sends it as-is (an HTML 503 page), which the SDK maps with a status', async () => {
    await arm({ endpoint: 'validate', kind: 'status', status: 503, body: '<html><body>Service Unavailable</body></html>', times: 1 });
    const err = (await rejectionOf(h.client.verify_session.validate({ id: 'anything', otp: '123456' }))) as {
      status: number;
      message: string;
      apiID: string;
    };
    expect(err.status).toBe(503);
    expect(err.message).toBe('<html><body>Service Unavailable</body></html>');
    expect(err.apiID).toBe('');
  });

  it("status 429 surfaces only through the message, as the reference's helper expects", async () => {
    await arm({ endpoint: 'validate', kind: 'status', status: 429, times: 1 });
    expect(plivoErrorStatus(await rejectionOf(h.client.verify_session.validate({ id: 'x', otp: '1' })))).toBe(429);
  });

  it("hang never answers, so the SDK's timeout rejects with a string", async () => {
    await arm({ endpoint: 'create', kind: 'hang', times: 1 });
    const started = performance.now();
    const err = await rejectionOf(h.clientWithTimeout(150).verify_session.create({ recipient: PHONE }));
    expect(typeof err).toBe('string');
    expect(err as string).toMatch(/^AxiosError: timeout of 150ms exceeded/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await create()).message).toBe('Session initiated');
  });

  it('malformed answers 200 with cut-off JSON: create resolves empty, get throws', async () => {
    await arm({ endpoint: 'create', kind: 'malformed', times: 1 });
    const created = await create();
    expect(created.sessionUuid).toBeUndefined();
    expect(created.message).toBeUndefined();

    const { sessionUuid } = await create();
    await arm({ endpoint: 'get', kind: 'malformed' });
    const raw = await fetch(`${h.emulator.url}/v1/Account/whatever/Verify/Session/${sessionUuid}/`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/json');
    const text = await raw.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const err = await rejectionOf(h.client.verify_session.get(sessionUuid));
    expect(err).toBeInstanceOf(TypeError);
  });

  it('"*" hits every Plivo endpoint until DELETE /dev/faults clears it', async () => {
    await arm({ endpoint: '*', kind: 'status', status: 500 });
    expect(plivoErrorStatus(await rejectionOf(h.client.accounts.get()))).toBe(500);
    expect(plivoErrorStatus(await rejectionOf(h.client.verify_session.list({})))).toBe(500);
    expect(plivoErrorStatus(await rejectionOf(create()))).toBe(500);
    expect((await h.dev('DELETE', '/dev/faults')).json).toEqual({ faults: 0 });
    expect((await create()).message).toBe('Session initiated');
  });

  it('a fault on one endpoint leaves the others alone', async () => {
    await arm({ endpoint: 'list', kind: 'status', status: 500 });
    expect((await create()).message).toBe('Session initiated');
    expect(plivoErrorStatus(await rejectionOf(h.client.verify_session.list({})))).toBe(500);
  });

  it.each([
    [{ endpoint: 'send', kind: 'status' }, 'endpoint must be one of create, validate, get, list, account, *'],
    [{ endpoint: 'create', kind: 'explode' }, 'kind must be one of latency, status, hang, malformed'],
    [{ endpoint: 'create', kind: 'latency' }, 'latency needs ms > 0'],
    [{ endpoint: 'create', kind: 'status', status: 99 }, 'status must be an HTTP status (200-599)'],
    [{ endpoint: 'create', kind: 'status', times: 0 }, 'times must be a positive integer'],
  ])('rejects a bad fault description (%o)', async (fault, error) => {
    expect(await h.dev('POST', '/dev/faults', fault)).toEqual({ status: 400, json: { error } });
  });
});

describe('close()', () => {
  it('does not wait for a hung request', async () => {
    const other = await startHarness();
    await other.dev('POST', '/dev/faults', { endpoint: 'create', kind: 'hang' });
    const pending = rejectionOf(other.clientWithTimeout(5000).verify_session.create({ recipient: PHONE }));
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await other.emulator.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(String(await pending)).toMatch(/socket hang up|ECONNRESET/);
  });
});
