import { afterEach, describe, expect, it, vi } from 'vitest';

import { postJson, toClientError } from './api-client';

describe('toClientError', () => {
  it('keeps the API error fields', () => {
    const body = { error: { code: 'invalid_code', message: 'Wrong.', attemptsLeft: 2 } };
    expect(toClientError(400, body)).toEqual({ code: 'invalid_code', message: 'Wrong.', attemptsLeft: 2 });
  });

  it('falls back to a friendly sentence for bodies that are not API errors', () => {
    expect(toClientError(502, null)).toMatchObject({ code: 'bad_response' });
    expect(toClientError(429, '<html>')).toMatchObject({ code: 'rate_limited' });
  });
});

describe('postJson', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON and returns the parsed body', async () => {
    const fetchMock = vi.fn(async () => Response.json({ status: 'signed_out' }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(postJson('/api/auth/logout', {})).resolves.toEqual({ ok: true, data: { status: 'signed_out' } });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/auth/logout',
      expect.objectContaining({ method: 'POST', body: '{}', headers: expect.objectContaining({ 'Content-Type': 'application/json' }) }),
    );
  });

  it("sends a page's posts one after another, so that no answer's cookie drops another's change", async () => {
    // Each answer rewrites the whole session cookie from the one its request carried.
    const answers: Array<() => void> = [];
    const fetchMock = vi.fn(() => new Promise<Response>((resolve) => answers.push(() => resolve(Response.json({ options: {} })))));
    vi.stubGlobal('fetch', fetchMock);
    const options = postJson('/api/auth/passkey/sign-in/options', {});
    const start = postJson('/api/auth/start', { phone: '07400 123456', country: 'GB' });
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    answers[0]!();
    await options;
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(fetchMock.mock.calls[1]).toEqual(['/api/auth/start', expect.anything()]);
    answers[1]!();
    await expect(start).resolves.toMatchObject({ ok: true });
  });

  it('turns a network failure into a friendly message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(postJson('/api/auth/start', {})).resolves.toEqual({
      ok: false,
      error: { code: 'network_error' },
    });
  });

  it('returns the API error of a failed request', async () => {
    const body = { error: { code: 'rate_limited', message: 'Slow down.', retryAfter: 30 } };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json(body, { status: 429 })),
    );
    await expect(postJson('/api/auth/resend', { channel: 'sms' })).resolves.toEqual({ ok: false, error: body.error });
  });
});
