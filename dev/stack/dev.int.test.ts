// `npm run dev` as a person runs it: in a real pseudo-terminal, stopped with Ctrl-C (the terminal
// sends SIGINT to its foreground process group) or `kill` of that group (SIGTERM). Whatever it
// started must be gone afterwards (every port it listened on, every process it spawned); a
// Directus it merely reused stays up. It also refuses a bad configuration before starting anything.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { holdNextDevLock } from './next-dev-lock';
import { TEST_PORTS } from './test-ports';
import { waitFor } from './wait';
import { startLocalDirectus, type LocalDirectus } from '../directus/index';

const root = join(import.meta.dirname, '..', '..');
const ports = { app: TEST_PORTS.app + 20, directus: TEST_PORTS.directus + 30, emulator: TEST_PORTS.emulator + 30 };
const portEnv = { PORT: String(ports.app), DEV_DIRECTUS_PORT: String(ports.directus), DEV_PLIVO_EMULATOR_PORT: String(ports.emulator) };
// Where the dev script keeps the data of a Directus on that port (dev/stack/dev.ts).
const devDataDir = join(root, '.local', 'directus', `dev-${ports.directus}`);

// A pseudo-terminal with no npm dependency: the child is a session leader whose process group is
// the terminal's foreground group. "INT" on stdin types Ctrl-C into the terminal; "TERM" kills
// that group, as `kill -TERM -<pgid>` does.
const PTY = `
import os, pty, select, signal, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
print("PTY-CHILD %d" % pid, flush=True)
inputs = [fd, 0]
while True:
    ready = select.select(inputs, [], [])[0]
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    if 0 in ready:
        command = sys.stdin.readline().strip()
        if command == "INT":
            os.write(fd, b"\\x03")
        elif command == "TERM":
            os.killpg(pid, signal.SIGTERM)
        elif not command:
            inputs.remove(0)
status = os.waitpid(pid, 0)[1]
print("PTY-EXIT %d" % os.waitstatus_to_exitcode(status), flush=True)
`;

type DevRun = {
  terminal: ChildProcessByStdio<Writable, Readable, Readable>;
  output: () => string;
  childPid: Promise<number>;
  exited: Promise<number>;
};

function runDevInTerminal(env: Record<string, string> = {}): DevRun {
  // Not vitest's NODE_ENV=test: next dev runs in development.
  const childEnv = { ...process.env, ...portEnv, ...env, NODE_ENV: 'development' as const, TERM: 'xterm' };
  const terminal = spawn('python3', ['-c', PTY, 'npm', 'run', 'dev'], { cwd: root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  terminal.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  terminal.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const childPid = waitFor('the terminal named its child', () => /PTY-CHILD (\d+)/.exec(output)?.[1], {
    timeoutMs: 10_000,
    intervalMs: 200,
  }).then(Number);
  const exited = new Promise<number>((resolve) =>
    terminal.once('exit', () => resolve(Number(/PTY-EXIT (-?\d+)/.exec(output)?.[1] ?? NaN))),
  );
  return { terminal, output: () => output, childPid, exited };
}

/** Every live process below `pid` (by parent pid, so detached process groups count too). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const state = processState(Number(entry));
    if (state && state.state !== 'Z') parents.set(Number(entry), state.ppid);
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length;) {
    frontier = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...frontier);
  }
  return found;
}

/** State and parent from /proc/<pid>/stat; undefined once it is gone. A zombie is dead too. */
function processState(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  const state = processState(pid);
  return state !== undefined && state.state !== 'Z';
};

/** TCP ports in LISTEN state, with the socket inode of each. */
function listeningSockets(): Map<string, number> {
  const sockets = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === '0A') sockets.set(fields[9]!, Number.parseInt(fields[1]!.split(':').pop()!, 16));
    }
  }
  return sockets;
}

/** The ports these processes listen on. */
function portsOf(pids: number[]): number[] {
  const sockets = listeningSockets();
  const found = new Set<number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile
    }
    for (const fd of fds) {
      const inode = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`))?.[1];
      const port = inode && sockets.get(inode);
      if (port) found.add(port);
    }
  }
  return [...found].sort();
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

const listening = (port: number) => [...listeningSockets().values()].includes(port);

/** Starts the dev script, waits for Ready, stops it with `signal`; answers what it had started. */
async function runAndStop(signal: 'INT' | 'TERM') {
  const run = runDevInTerminal();
  try {
    await waitFor('npm run dev printed Ready.', () => (run.output().includes('Ready.') ? true : undefined), {
      timeoutMs: 240_000,
      intervalMs: 200,
    });
  } catch (error) {
    run.terminal.stdin.write('TERM\n');
    throw new Error(`npm run dev did not get ready: ${String(error)}\n${run.output().slice(-3000)}`);
  }
  const pid = await run.childPid;
  const processes = descendants(pid);
  const openPorts = portsOf([pid, ...processes]);
  run.terminal.stdin.write(`${signal}\n`);
  await run.exited;
  // npm may return before what it ran has finished stopping (the shell prompt is back): give
  // that a moment, then whatever is still alive has survived.
  const survivors = await waitFor('every process ended', () => (processes.some(alive) ? undefined : []), {
    timeoutMs: 20_000,
    intervalMs: 200,
  }).catch(() => processes.filter(alive).map(commandLine));
  return { processes, openPorts, survivors, output: run.output() };
}

let reused: LocalDirectus | undefined;

afterAll(async () => {
  await reused?.stop();
}, 60_000);

describe('npm run dev in a terminal', () => {
  let releaseNextDev: (() => void) | undefined;
  beforeAll(async () => {
    releaseNextDev = await holdNextDevLock(300_000);
  }, 330_000);
  afterAll(() => releaseNextDev?.());

  it.each(['INT', 'TERM'] as const)(
    'stops everything it started, its own Directus included, on SIG%s',
    async (signal) => {
      const { processes, openPorts, survivors, output } = await runAndStop(signal);
      expect(output).not.toContain('reusing the local Directus');
      // What it had started: at least the app, its Directus and the emulator.
      expect(processes.length).toBeGreaterThan(3);
      expect(openPorts).toEqual(expect.arrayContaining([ports.app, ports.directus, ports.emulator]));
      expect(survivors).toEqual([]);
      expect(openPorts.filter(listening)).toEqual([]);
    },
    300_000,
  );

  it('leaves a Directus it merely reused running', async () => {
    reused = await startLocalDirectus({
      port: ports.directus,
      dataDir: devDataDir,
      plivoApiUrl: `http://127.0.0.1:${ports.emulator}`,
      log: () => undefined,
    });
    const { openPorts, survivors, output } = await runAndStop('INT');
    expect(output).toContain('reusing the local Directus');
    expect(openPorts).toEqual(expect.arrayContaining([ports.app, ports.emulator]));
    expect(openPorts).not.toContain(ports.directus); // not its own: another process listens there
    expect(survivors).toEqual([]);
    expect(openPorts.filter(listening)).toEqual([]);
    expect(listening(ports.directus)).toBe(true);
    expect((await fetch(`${reused.url}/server/ping`)).ok).toBe(true);
    await reused.stop();
    reused = undefined;
  }, 300_000);
});

describe('npm run dev with a bad setting', () => {
  it('exits at once, non-zero, naming each bad variable, and starts nothing', async () => {
    const started = Date.now();
    const run = runDevInTerminal({ SESSION_SECRET: 'too-short', OTP_CODE_LENGTH: '12' });
    const pid = await run.childPid;
    const seen = new Set<number>();
    // Sample what it spawns while it runs: none of it may be a service.
    const sampler = setInterval(() => descendants(pid).forEach((child) => seen.add(child)), 100);
    const exitCode = await run.exited;
    clearInterval(sampler);
    expect(exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000); // not the 120 s wait for a health check
    expect(run.output()).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    expect(run.output()).toMatch(/OTP_CODE_LENGTH: /);
    expect(run.output()).toContain('Nothing was started');
    expect([...seen].map(commandLine).join('\n')).not.toMatch(/directus[/\\]cli|next[/\\]dist[/\\]bin/);
    for (const port of Object.values(ports)) expect(listening(port)).toBe(false);
  }, 60_000);
});
