// The SMS sign-in extension (extensions/sms-sign-in) in the local Directus: built when its
// dist is missing or older than its source, copied into the data dir's extensions folder, and
// configured with local, non-secret settings that point it at the Plivo emulator.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_STACK } from '../../lib/local-stack';
import { runToEnd, type Log } from './child';

const root = join(import.meta.dirname, '..', '..');
const EXTENSION_DIR = join(root, 'extensions', 'sms-sign-in');
const EXTENSION_NAME = 'sms-sign-in';
const DIST = join(EXTENSION_DIR, 'dist', 'index.js');
const SDK_CLI = join(root, 'node_modules', '@directus', 'extensions-sdk', 'cli.js');
/** The same command as `npm run extension:build`. */
const BUILD_ARGS = ['build', '--no-minify'];

async function newestSourceMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    // Tests and their helpers live beside the source but are not part of the bundle.
    if (!entry.isFile() || /\.test(-support)?\.ts$/.test(entry.name)) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

async function extensionIsStale(): Promise<boolean> {
  if (!existsSync(DIST)) return true;
  const source = Math.max(await newestSourceMtime(join(EXTENSION_DIR, 'src')), (await stat(join(EXTENSION_DIR, 'package.json'))).mtimeMs);
  return (await stat(DIST)).mtimeMs < source;
}

export async function ensureExtensionBuilt(log: Log): Promise<void> {
  if (!(await extensionIsStale())) return;
  log('building the sms-sign-in extension');
  const started = Date.now();
  await runToEnd(process.execPath, [SDK_CLI, ...BUILD_ARGS], { cwd: EXTENSION_DIR, log, label: 'building extensions/sms-sign-in' });
  if (!existsSync(DIST)) throw new Error(`building extensions/sms-sign-in wrote no ${DIST}`);
  log(`built the sms-sign-in extension in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Copies the built extension into the local Directus's EXTENSIONS_PATH (a folder per extension). */
export async function installExtension(extensionsPath: string): Promise<void> {
  const target = join(extensionsPath, EXTENSION_NAME);
  await mkdir(join(target, 'dist'), { recursive: true });
  await copyFile(join(EXTENSION_DIR, 'package.json'), join(target, 'package.json'));
  await copyFile(DIST, join(target, 'dist', 'index.js'));
}

/** The extension's settings for the local stack; every value is a local default, not a secret. */
export function signInExtensionEnv(memberRoleId: string, plivoApiUrl: string): Record<string, string> {
  const { plivo, directus } = LOCAL_STACK;
  return {
    SMS_SIGN_IN_APP_KEY: directus.signInKey,
    SMS_SIGN_IN_MEMBER_ROLES: memberRoleId,
    // Directus allows sign-up locally; whether newcomers are signed up is the app's SIGN_UP.
    SMS_SIGN_IN_SIGN_UP_ROLE: memberRoleId,
    SMS_SIGN_IN_PLIVO_AUTH_ID: plivo.authId,
    SMS_SIGN_IN_PLIVO_AUTH_TOKEN: plivo.authToken,
    SMS_SIGN_IN_PLIVO_APP_UUID: plivo.appUuid,
    SMS_SIGN_IN_PLIVO_API_URL: plivoApiUrl,
  };
}
