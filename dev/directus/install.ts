// Installs the local Directus (npm `directus`, the tree locked in install-tree/) once into a cache
// folder outside the checkout, keyed by Directus version and the running Node version, with its
// native addon `isolated-vm` compiled against the running Node's headers (see dev/directus/README.md,
// "Install cache").
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { childEnv, elapsed, runToEnd, type Log } from './child';

/**
 * The package.json and package-lock.json installed: with the tree locked, `npm ci` skips resolving
 * about a thousand packages, the slowest part of a cold install after the compiles.
 */
const INSTALL_TREE = fileURLToPath(new URL('./install-tree/', import.meta.url));
const INSTALL_FILES = ['package.json', 'package-lock.json'];

export const DIRECTUS_VERSION: string = (
  JSON.parse(readFileSync(join(INSTALL_TREE, 'package.json'), 'utf8')) as { dependencies: { directus: string } }
).dependencies.directus;

const defaultLog: Log = (line) => console.log(`[directus] ${line}`);

const MARKER = '.install-complete.json';

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'directus-sms-sign-in');
}

export function installDirFor(nodeVersion = process.version): string {
  return join(cacheRoot(), `directus-${DIRECTUS_VERSION}-node-${nodeVersion}`);
}

/**
 * The Directus CLI entry inside an install dir. The `directus` bin (`directus/cli.js`) only adds an
 * update check against the npm registry before importing this, which would slow every start.
 */
export function directusCliPath(installDir: string): string {
  return join(installDir, 'node_modules', '@directus', 'api', 'dist', 'cli', 'run.js');
}

export async function isInstalled(dir = installDirFor()): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(dir, MARKER), 'utf8')) as { directus?: string; node?: string };
    return marker.directus === DIRECTUS_VERSION && marker.node === process.version && existsSync(directusCliPath(dir));
  } catch {
    return false;
  }
}

/** The addons compiled from source at install: each compile is a minute or more on 2 cores. */
const NATIVE_ADDONS = ['isolated-vm', 'sqlite3'];

/** The other packages of the locked tree that have install scripts (quick: checks, prebuilt binaries). */
function otherPackagesWithInstallScripts(): string[] {
  const lock = JSON.parse(readFileSync(join(INSTALL_TREE, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  const names = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  return [...new Set(names)].filter((name) => !NATIVE_ADDONS.includes(name));
}

async function compileProgress(dir: string, addon: string): Promise<string> {
  try {
    const files = (await readdir(join(dir, 'node_modules', addon, 'build'), { recursive: true })).map(String);
    return `${files.filter((f) => f.endsWith('.o')).length} object files so far`;
  } catch {
    return 'configuring';
  }
}

async function countPackages(dir: string): Promise<string> {
  try {
    const entries = await readdir(join(dir, 'node_modules'));
    let count = 0;
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      count += e.startsWith('@') ? (await readdir(join(dir, 'node_modules', e))).length : 1;
    }
    return `${count} top-level packages so far`;
  } catch {
    return 'fetching';
  }
}

/** Fetches the running Node's headers (`include/node`) from the npm registry into the cache. */
async function ensureNodeHeaders(log: Log): Promise<string> {
  const version = process.versions.node;
  const pkg = `node-${process.platform}-${process.arch}`;
  const root = join(cacheRoot(), `node-headers-v${version}`);
  const nodedir = join(root, 'package');
  if (existsSync(join(nodedir, 'include', 'node', 'node.h')) && existsSync(join(nodedir, 'include', 'node', 'common.gypi'))) {
    return nodedir;
  }
  const tmp = `${root}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  log(`fetching Node ${version} headers (npm pack ${pkg}@${version})`);
  await runToEnd('npm', ['pack', `${pkg}@${version}`, '--pack-destination', tmp, '--silent'], {
    cwd: tmp,
    log,
    label: 'npm pack',
  });
  const tgz = (await readdir(tmp)).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${pkg}@${version} produced no tarball`);
  await runToEnd('tar', ['-xzf', tgz, 'package/include/node'], { cwd: tmp, log, label: 'tar' });
  await rm(join(tmp, tgz), { force: true });
  if (!existsSync(join(tmp, 'package', 'include', 'node', 'node.h'))) {
    throw new Error(`${pkg}@${version} has no include/node/node.h`);
  }
  await rm(root, { recursive: true, force: true });
  await rename(tmp, root);
  return nodedir;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A directory lock (mkdir is atomic) so that two processes never install at the same time. */
async function withLock<T>(lockDir: string, log: Log, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => ''));
      let age = 0;
      try {
        age = Date.now() - (await stat(lockDir)).mtimeMs;
      } catch {
        continue;
      }
      // Stale: owner gone (or never wrote its pid within a minute).
      if ((pid && !pidAlive(pid)) || (!pid && age > 60_000)) {
        log(`removing stale install lock ${lockDir}`);
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log(`another process (pid ${pid || '?'}) is installing Directus; waiting for it`);
        announced = true;
      } else if ((Date.now() - started) % 10_000 < 1000) {
        log(`  still waiting for the other install (${elapsed(started)})`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** Loads isolated-vm under this Node and runs a tiny isolate; throws with the child's output otherwise. */
async function verifyIsolatedVm(dir: string, log: Log): Promise<void> {
  const script = [
    "const { createRequire } = require('node:module');",
    "const path = require('node:path');",
    "const api = path.dirname(require.resolve('@directus/api/package.json', { paths: [process.cwd()] }));",
    "const ivm = createRequire(path.join(api, 'package.json'))('isolated-vm');",
    'const iso = new ivm.Isolate({ memoryLimit: 8 });',
    "const r = iso.compileScriptSync('6 * 7').runSync(iso.createContextSync());",
    "if (r !== 42) throw new Error('isolate returned ' + r);",
    "console.log('isolated-vm ok under node ' + process.version);",
  ].join('\n');
  await runToEnd(process.execPath, ['--no-node-snapshot', '-e', script], {
    cwd: dir,
    log,
    label: 'verify isolated-vm',
    stream: true,
  });
}

/**
 * Ensures `directus@12.3.1` is installed in the cache for the running Node and returns the install dir.
 * Cold: ~4-6 min on 2 cores. Warm: instant (marker file check).
 */
export async function ensureDirectusInstalled(log: Log = defaultLog): Promise<string> {
  const dir = installDirFor();
  if (await isInstalled(dir)) return dir;
  await mkdir(cacheRoot(), { recursive: true });
  return withLock(`${dir}.lock`, log, async () => {
    if (await isInstalled(dir)) return dir; // installed by the process we waited for
    const started = Date.now();
    log(`installing directus@${DIRECTUS_VERSION} for Node ${process.version} into ${dir} (cold install takes ~4-6 min)`);
    log(`phase 1/3: Node ${process.versions.node} headers for native addons`);
    const nodedir = await ensureNodeHeaders(log);
    log(`  headers ready in ${nodedir} (${elapsed(started)})`);

    const tmp = `${dir}.tmp-${process.pid}`;
    // Leftovers of interrupted installs (we hold the lock, so nobody else is using them).
    for (const entry of await readdir(cacheRoot())) {
      if (entry.startsWith(`${basename(dir)}.tmp-`)) await rm(join(cacheRoot(), entry), { recursive: true, force: true });
    }
    await mkdir(tmp, { recursive: true });
    for (const file of INSTALL_FILES) await copyFile(join(INSTALL_TREE, file), join(tmp, file));
    log(`phase 2/3: npm ci directus@${DIRECTUS_VERSION}, then its install scripts (compiles ${NATIVE_ADDONS.join(' and ')})`);
    const npmEnv = childEnv({
      npm_config_nodedir: nodedir,
      npm_config_update_notifier: 'false',
      // prebuilt binaries come from GitHub, which is not reachable here; build from source directly.
      npm_config_build_from_source: 'true',
      // node-gyp's parallel make, for the addons that do not ask for it themselves.
      JOBS: 'max',
    });
    const npm = (args: string[], label: string, heartbeat?: () => Promise<string>) =>
      runToEnd('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'], {
        cwd: tmp,
        log,
        label,
        stream: true,
        // Peer-dependency chatter of Directus' own tree; kept for the error message if npm fails.
        hide: [/^npm warn/],
        env: npmEnv,
        heartbeat,
      });
    const npmStarted = Date.now();
    try {
      await npm(['ci', '--ignore-scripts'], 'npm ci', () => countPackages(tmp));
      // npm runs install scripts one after another, and sqlite3's one large C file waited for
      // isolated-vm's compile; each compile in an `npm rebuild` of its own, side by side.
      await Promise.all([
        ...NATIVE_ADDONS.map((addon) => npm(['rebuild', addon], `compiling ${addon}`, () => compileProgress(tmp, addon))),
        npm(['rebuild', ...otherPackagesWithInstallScripts()], 'install scripts'),
      ]);
      log(`  npm ci and install scripts done in ${elapsed(npmStarted)}`);
      log('phase 3/3: verifying isolated-vm loads under this Node');
      await verifyIsolatedVm(tmp, log);
      await writeFile(
        join(tmp, MARKER),
        JSON.stringify({ directus: DIRECTUS_VERSION, node: process.version, installedAt: new Date().toISOString() }),
      );
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    log(`directus@${DIRECTUS_VERSION} installed in ${elapsed(started)}`);
    return dir;
  });
}
