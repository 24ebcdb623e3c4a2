// @ts-check
import createNextIntlPlugin from 'next-intl/plugin';

// The pages' and the API's language: lib/i18n/request.ts picks it per request (docs/i18n.md).
// The catalogs' ICU messages are compiled at build time, so the browser gets no message parser.
const withNextIntl = createNextIntlPlugin({
  requestConfig: './lib/i18n/request.ts',
  experimental: { messages: { path: './lib/i18n/messages', format: 'json', locales: 'infer', precompile: true } },
});

// Sent with every response, build assets included. A page's Content-Security-Policy needs a fresh
// nonce per request, so proxy.ts sets it (lib/server/content-security-policy.ts).
const securityHeaders = [
  // frame-ancestors 'none' in the CSP says the same to current browsers: no framing, no clickjacking.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Paths and queries (?next=...) never leave the site: other sites see only our origin, which is
  // public anyway, so no-referrer would add nothing.
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // No powerful feature is used, except WebOTP-style autofill of the code field. Only features
  // Chromium knows (it warns about others): no interest-cohort, which browsing-topics replaced.
  {
    key: 'Permissions-Policy',
    value: [
      'accelerometer=()',
      'browsing-topics=()',
      'camera=()',
      'display-capture=()',
      'geolocation=()',
      'gyroscope=()',
      'hid=()',
      'magnetometer=()',
      'microphone=()',
      'midi=()',
      'payment=()',
      'serial=()',
      'usb=()',
      'otp-credentials=(self)',
    ].join(', '),
  },
  // A window this app opens, or that opens it, gets no handle on the other.
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // Production is served over HTTPS only; local stacks run on plain http://localhost.
  ...(process.env.NODE_ENV === 'production' ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
];

// API answers are never documents of this site: nothing may load or frame them, and one a browser
// opens anyway (a file from the pass-through, such as an uploaded HTML page) is sandboxed, with no
// forms and no <base>, so it cannot pose as one of its pages. (Pages get a policy with a
// per-request nonce from proxy.ts, which does not run for the API.)
const apiContentSecurityPolicy = {
  key: 'Content-Security-Policy',
  value: "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox",
};

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  // The browser tests' own `next dev` (e2e/dev-inbox.spec.ts) builds in a folder of its own: in the
  // developer's `.next/dev` it left a cache under which `npm run dev` reloaded every page it served.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // The build checks the app's own code; `npm run typecheck` checks everything, tests included.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // The dev orchestrator and Playwright reach the app on 127.0.0.1 as well as localhost.
  allowedDevOrigins: ['127.0.0.1'],
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: [apiContentSecurityPolicy] },
    ];
  },
};

export default withNextIntl(nextConfig);
