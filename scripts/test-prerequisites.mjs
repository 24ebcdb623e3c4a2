// Runs before `npm test`: the browser tests need Debian's Chromium headless shell, the integration
// and browser layers a redis-server, the test of `npm run dev` in a pseudo-terminal needs python3
// (its pty module), and the runs on PostgreSQL and MariaDB need their servers
// (dev/stack/database-server.ts). On a fresh machine of this project's kind (Debian, root) they are
// installed here, so `npm install && npm test` works; elsewhere this says what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const headlessShell = process.env.CHROMIUM_HEADLESS_SHELL_PATH ?? '/usr/lib/chromium/chromium-headless-shell';
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const postgresBase = '/usr/lib/postgresql';
const postgresServer =
  onPath('initdb') ||
  (existsSync(postgresBase) && readdirSync(postgresBase).some((version) => existsSync(`${postgresBase}/${version}/bin/initdb`)));
const mariadbServer = onPath('mariadbd') || existsSync('/usr/sbin/mariadbd');
const missing = [
  !existsSync(headlessShell) && 'chromium-headless-shell',
  !onPath('redis-server') && 'redis-server',
  !onPath('python3') && 'python3',
  !postgresServer && 'postgresql',
  !mariadbServer && 'mariadb-server',
].filter(Boolean);

if (missing.length > 0) {
  const canInstall = process.getuid?.() === 0 && onPath('apt-get') && !process.env.CHROMIUM_HEADLESS_SHELL_PATH;
  if (!canInstall) {
    console.error(
      `npm test needs ${missing.join(' and ')}: install ${missing.length > 1 ? 'them' : 'it'} (Debian: apt-get install ${missing.join(' ')}).`,
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(' and ')} for the integration and browser tests (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}
// Which Chromium the browser tests run in, in every run's log.
console.log(`Browser tests in ${execFileSync(headlessShell, ['--version'], { encoding: 'utf8' }).trim()} (headless shell)`);
