import { describe, expect, it } from 'vitest';

import { checkExtension } from './extension-health';

const env = {
  DIRECTUS_URL: 'http://directus.test/',
  DIRECTUS_EXTENSION_KEY: 'the-apps-extension-key-of-32-chars-or-more',
  DIRECTUS_TIMEOUT_MS: 1000,
};

const answering = (response: () => Response) => {
  const requests: Request[] = [];
  const doFetch: typeof fetch = async (input, init) => {
    requests.push(new Request(input, init));
    return response();
  };
  return { requests, doFetch };
};

describe('checkExtension', () => {
  it("asks the extension's lookup with the app's key, and no Directus credential", async () => {
    const { requests, doFetch } = answering(() => Response.json({ member: null, unclaimed: false }));
    expect(await checkExtension(env, doFetch)).toBe('ok');
    expect(requests[0]?.url).toBe('http://directus.test/sms-sign-in/lookup');
    expect(requests[0]?.headers.get('X-SMS-Sign-In-Key')).toBe(env.DIRECTUS_EXTENSION_KEY);
    expect(requests[0]?.headers.get('Authorization')).toBeNull();
  });

  it.each([
    ['not loaded', () => Response.json({ errors: [{ extensions: { code: 'ROUTE_NOT_FOUND' } }] }, { status: 404 }), 'not_loaded'],
    ['not configured', () => Response.json({ error: { code: 'not_configured' } }, { status: 503 }), 'not_configured'],
    ['key refused', () => Response.json({ error: { code: 'invalid_app_key' } }, { status: 401 }), 'key_refused'],
    [
      'set up without the phone field',
      () => Response.json({ error: { code: 'phone_field_missing' } }, { status: 503 }),
      'phone_field_missing',
    ],
    ['something else', () => new Response('Bad gateway', { status: 502 }), 'unexpected'],
  ] as const)('tells %s apart', async (_name, response, health) => {
    expect(await checkExtension(env, answering(response).doFetch)).toBe(health);
  });

  it('calls a Directus that does not answer unreachable', async () => {
    const doFetch: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await checkExtension(env, doFetch)).toBe('unreachable');
  });
});
