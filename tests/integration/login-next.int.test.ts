import { describe, expect, inject, it } from 'vitest';

import { apiClient } from './api-client';

const stack = inject('stack');

/** The `next` prop /login hands its client component, read from the page's RSC payload. */
async function nextHandedToClient(next: string): Promise<string | null> {
  const page = await apiClient(stack.appUrl).get(`/login?next=${encodeURIComponent(next)}`);
  expect(page.status).toBe(200);
  const prop = /\\"next\\":(null|\\"(.*?)\\")/.exec(String(page.body));
  expect(prop, 'no next prop in the page').not.toBeNull();
  return prop![2] ?? null;
}

describe('/login?next=', () => {
  // The first four resolve to "//evil.example"; the client would read that as another site.
  it.each([
    '/.//evil.example',
    '/%2e//evil.example',
    '/..//evil.example',
    '/a/..//evil.example',
    '/%2f/evil.example',
    '/%5cevil.example',
    '/\\evil.example',
    '/\t/evil.example',
    'https:evil.example',
    '%',
  ])('hands the client no next for %j', async (next) => {
    expect(await nextHandedToClient(next)).toBeNull();
  });

  // An uploaded file there would open as a page of this site, right after signing in.
  it.each([
    '/api/directus/assets/0b5e0a52-7c1d-4b1e-9d0a-2f6a1b0c3d4e',
    '/API/directus/assets/x',
    '/%61pi/directus/assets/x',
    '/./api/directus/assets/x',
    '//api/directus',
    '/api',
  ])('hands the client no next for the API path %j', async (next) => {
    expect(await nextHandedToClient(next)).toBeNull();
  });

  it('hands the client a same-origin path as it is', async () => {
    expect(await nextHandedToClient('/account?tab=1')).toBe('/account?tab=1');
  });
});
