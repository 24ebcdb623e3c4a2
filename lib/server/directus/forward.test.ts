import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseEnv } from '../env';
import { ApiError } from '../errors';
import { forwardToDirectus, type ForwardRequest } from './forward';

// The pass-through's transport against a stand-in Directus on a local port.
let server: Server;
let seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let env: ReturnType<typeof parseEnv>;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url!, headers: req.headers });
    if (req.url!.startsWith('/hang')) return; // never answers
    if (req.url!.startsWith('/assets/slow')) {
      // Headers at once, the body in two parts a while apart: it must arrive as a stream.
      res.writeHead(200, { 'Content-Type': 'image/png', 'Set-Cookie': 'directus_session_token=x' });
      res.write('first ');
      setTimeout(() => res.end('second'), 400);
      return;
    }
    if (req.url!.startsWith('/assets/public')) {
      const type = new URL(req.url!, 'http://directus.invalid').searchParams.get('type') ?? 'image/png';
      res
        .writeHead(200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=60' })
        .end(req.headers.authorization ? 'as person' : 'anonymous');
      return;
    }
    if (req.url!.startsWith('/typed')) {
      // A file of the type and disposition asked for, as Directus serves uploads.
      const asked = new URL(req.url!, 'http://directus.invalid').searchParams;
      res.writeHead(200, {
        ...(asked.has('type') && { 'Content-Type': asked.get('type')! }),
        ...(asked.has('disposition') && { 'Content-Disposition': asked.get('disposition')! }),
      });
      return void res.end('<form action="https://evil.example">');
    }
    if (req.url!.startsWith('/assets/') && !req.headers.authorization) return void res.writeHead(403).end('{"errors":[]}');
    if (req.url!.startsWith('/gone')) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[]}');
    if (req.url!.startsWith('/busy')) return void res.writeHead(429, { 'Retry-After': '7' }).end();
    if (req.url!.startsWith('/broken')) return void res.writeHead(500).end('stack trace');
    res
      .writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'directus_session_token=x', 'X-Powered-By': 'Directus' })
      .end('{"data":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = parseEnv({ DIRECTUS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, DIRECTUS_TIMEOUT_MS: '300' });
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

function forward(path: string, init: Partial<ForwardRequest> = {}) {
  seen = [];
  return forwardToDirectus(env, {
    method: 'GET',
    path,
    query: '',
    headers: new Headers({
      Cookie: 'sms-sign-in=sealed',
      Authorization: 'Bearer from-the-browser',
      Accept: 'application/json',
      'X-Forwarded-For': '1.2.3.4',
      Range: 'bytes=0-1',
    }),
    authorization: 'Bearer person',
    signal: new AbortController().signal,
    ...init,
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as ApiError,
  );

describe('forwardToDirectus', () => {
  it('sends the person’s credential and only the browser’s harmless headers', async () => {
    const response = await forward('/items/news');
    expect(response.status).toBe(200);
    const [{ headers }] = seen as [(typeof seen)[number]];
    expect(headers.authorization).toBe('Bearer person');
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-forwarded-for']).toBeUndefined();
    expect(headers.accept).toBe('application/json');
    expect(headers.range).toBe('bytes=0-1');
    // Nothing compressed: lengths and ranges stay those of the file (undici repeats the value).
    expect(headers['accept-encoding']).toMatch(/^identity(, identity)*$/);
  });

  it('answers without Set-Cookie or Directus’s other headers, privately', async () => {
    const response = await forward('/items/news');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.text()).toBe('{"data":[]}');
  });

  it('streams the body: the answer is there before Directus has finished', async () => {
    const started = Date.now();
    const response = await forward('/assets/slow');
    expect(Date.now() - started).toBeLessThan(300);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first ');
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value);
    expect(rest).toBe('second'); // later than the timeout: it bounds the wait for headers only
  });

  it('asks for a file without the credential first, and lets a public one be cached', async () => {
    const open = await forward('/assets/public');
    expect(await open.text()).toBe('anonymous');
    expect(open.headers.get('cache-control')).toBe('public, max-age=60');
    const members = await forward('/assets/members-only');
    expect(members.headers.get('cache-control')).toBe('private, no-store');
    expect(seen.map((request) => request.headers.authorization)).toEqual([undefined, 'Bearer person']);
  });

  it('gives up on a Directus that does not answer within DIRECTUS_TIMEOUT_MS', async () => {
    const started = Date.now();
    const error = await failure(forward('/hang'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.code).toBe('upstream_unavailable');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('maps Directus’s refusals to our codes, and the rest to upstream_unavailable', async () => {
    expect((await failure(forward('/gone')))!.code).toBe('unauthorized');
    const busy = (await failure(forward('/busy')))!;
    expect([busy.code, busy.extra.retryAfter]).toEqual(['rate_limited', 7]);
    const broken = (await failure(forward('/broken')))!;
    expect(broken.code).toBe('upstream_unavailable');
    expect(broken.message).not.toMatch(/stack/);
  });

  describe('a file’s disposition', () => {
    const served = async (type: string | undefined, disposition?: string) => {
      const query = new URLSearchParams({ ...(type !== undefined && { type }), ...(disposition !== undefined && { disposition }) });
      const response = await forward('/typed', { query: `?${query}` });
      await response.body?.cancel();
      return response.headers.get('content-disposition');
    };

    it('keeps pictures, sound, video and Directus’s JSON as Directus serves them: inline', async () => {
      expect(await served('image/png', 'inline; filename="news.png"')).toBe('inline; filename="news.png"');
      expect(await served('image/jpeg')).toBeNull();
      expect(await served('image/webp', 'inline')).toBe('inline');
      expect(await served('video/mp4', 'inline; filename="talk.mp4"')).toBe('inline; filename="talk.mp4"');
      expect(await served('audio/mpeg; codecs=mp3')).toBeNull();
      expect(await served('application/json; charset=utf-8')).toBeNull();
    });

    it('makes every other type a download, so no uploaded document opens as a page of this site', async () => {
      expect(await served('text/html', 'inline; filename="page.html"')).toBe('attachment; filename="page.html"');
      expect(await served('text/html; charset=utf-8')).toBe('attachment');
      // An SVG is a document that can carry script and links; <img> still shows it (a download
      // only decides what a navigation to it does).
      expect(await served('image/svg+xml', 'inline; filename="map.svg"; filename*=UTF-8\'\'map.svg')).toBe(
        'attachment; filename="map.svg"; filename*=UTF-8\'\'map.svg',
      );
      expect(await served('IMAGE/SVG+XML; charset=utf-8', 'INLINE;filename=x.svg')).toBe('attachment;filename=x.svg');
      for (const type of [
        'application/xhtml+xml',
        'application/xml',
        'text/xml',
        'text/plain',
        'application/pdf',
        'multipart/x-mixed-replace; boundary=x',
        'image/png, text/html',
        'video',
        '',
      ]) {
        expect(await served(type, 'inline'), type).toBe('attachment');
      }
      expect(await served(undefined, 'inline; filename="unknown"')).toBe('attachment; filename="unknown"');
      expect(await served('text/csv', 'attachment; filename="export.csv"')).toBe('attachment; filename="export.csv"');
    });

    it('makes a public file of another type a download as well', async () => {
      const response = await forward('/assets/public', { query: '?type=text/html' });
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      expect(response.headers.get('content-disposition')).toBe('attachment');
      expect(await response.text()).toBe('anonymous');
    });
  });
});
