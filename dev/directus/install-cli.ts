// `npm run directus:install`: installs the local Directus into the shared cache (once).
import { ensureDirectusInstalled, installDirFor, isInstalled } from './install';

const started = Date.now();
try {
  const already = await isInstalled(installDirFor());
  const dir = await ensureDirectusInstalled();
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(already ? `[directus] already installed: ${dir}` : `[directus] ready: ${dir} (${secs}s)`);
} catch (err) {
  console.error(`[directus] install failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
