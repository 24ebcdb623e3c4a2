// Validate the environment when the server boots, not on the first request. Next keeps serving
// when register() throws, so in production we exit ourselves: a misconfigured auth server must not run.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  try {
    const { getEnv } = await import('./lib/server/env');
    getEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    if (process.env.NODE_ENV === 'production') process.exit(1);
  }
}
