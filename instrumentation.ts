export async function register() {
  // The check uses Node APIs, so it lives in a module only the Node.js runtime loads.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkClientAddressPreload, checkTestNumbers } = await import('./lib/server/boot-check');
    checkClientAddressPreload();
    await checkTestNumbers();
  }
}
