// `npm run tokens:sweep`: nulls Directus credentials whose expiry has passed, for hosts without
// Vercel Cron (run it from cron; it reads the same environment as the app).
import nextEnv from '@next/env';

nextEnv.loadEnvConfig(process.cwd());

const { getEnv } = await import('../lib/server/env');
const { createDirectusStrategy } = await import('../lib/server/directus');

const env = getEnv();
try {
  const { sweep } = createDirectusStrategy(env).credentials;
  const swept = sweep ? await sweep(new Date()) : 0;
  console.log(`Swept ${swept} expired credential${swept === 1 ? '' : 's'} in ${env.DIRECTUS_URL}.`);
} catch (error) {
  const cause = error instanceof Error && error.cause ? String(error.cause) : String(error);
  console.error(`tokens:sweep: Directus at ${env.DIRECTUS_URL} failed: ${cause}`);
  process.exitCode = 1;
}
