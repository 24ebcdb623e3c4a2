// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // The build checks the app's own code; `npm run typecheck` checks everything, tests included.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // The dev orchestrator and Playwright reach the app on 127.0.0.1 as well as localhost.
  allowedDevOrigins: ['127.0.0.1'],
};

export default nextConfig;
