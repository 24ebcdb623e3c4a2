import 'server-only';

// The Content-Security-Policy of every page. It carries a fresh nonce per request, so proxy.ts
// sets it (the API's policy and the other security headers are static: next.config.mjs).

/** 128 random bits: unguessable, and new for every response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

type Options = {
  development: boolean;
  /** The origin of an APP_LOGO_URL on another site: images may come from there too, nowhere else. */
  logoOrigin?: string | undefined;
};

export function contentSecurityPolicy(nonce: string, { development, logoOrigin }: Options): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Only scripts carrying the nonce run, and what they load ('strict-dynamic': host lists and
    // 'self' are then ignored; 'self' is for browsers without it). No 'unsafe-inline'. `next dev`
    // needs eval for React's debug stacks, production never does.
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // Next puts the nonce on the styles it renders; its dev tools inject <style> elements without one.
    'style-src': ["'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    'img-src': ["'self'", ...(logoOrigin ? [logoOrigin] : [])],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The nonce of a policy made by contentSecurityPolicy (proxy.ts puts it on the request too). */
export function nonceOf(policy: string | null): string | undefined {
  return policy ? /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1] : undefined;
}
