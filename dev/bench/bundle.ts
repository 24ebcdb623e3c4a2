// JavaScript a page makes the browser download, as served (gzip) by the production server.
import { request } from 'node:http';

import type { TestStack } from '../stack/test-stack';

function gzipBytes(url: string): Promise<{ bytes: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ bytes: body.length, encoding: response.headers['content-encoding'], body });
      });
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** Sum of the page's `<script src>` (the nomodule polyfill for old browsers excluded). */
async function pageScripts(base: string, path: string) {
  const html = (await fetch(`${base}${path}`)).text();
  const sources = [...(await html).matchAll(/<script\b([^>]*)\bsrc="([^"]+)"([^>]*)>/g)]
    .filter((match) => !/nomodule/i.test(`${match[1]}${match[3]}`))
    .map((match) => match[2]!);
  const sizes = await Promise.all([...new Set(sources)].map((src) => gzipBytes(new URL(src, base).toString())));
  return { files: sizes.length, gzip: sizes.reduce((total, size) => total + size.bytes, 0) };
}

export async function measureBundle(stack: TestStack) {
  const [login, bare] = await Promise.all([pageScripts(stack.appUrl, '/login'), pageScripts(stack.appUrl, '/no-such-page')]);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    'Client JavaScript as first loaded (gzip as served by the production server, nomodule polyfill excluded):',
    `  /login                        ${kb(login.gzip)} in ${login.files} files`,
    `  a page with no client code    ${kb(bare.gzip)} in ${bare.files} files (Next's 404 page: the App Router floor)`,
    `  added by the login page       ${kb(login.gzip - bare.gzip)}`,
  ].join('\n');
}
