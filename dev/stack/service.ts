// Child processes of the local stack: prefixed output, whole-group shutdown (readiness: ./wait.ts).
import { spawn, type ChildProcess } from 'node:child_process';

export type Service = { name: string; child: ChildProcess; stop(): Promise<void> };

type ServiceOptions = {
  env?: Record<string, string | undefined>;
  cwd?: string;
  quiet?: boolean;
  onLine?: (line: string) => void;
  /** How long stop() waits after SIGTERM before SIGKILL (default 5 s). */
  graceMs?: number;
};

/**
 * Starts a long-running command in its own process group, so stop() also ends what it spawns.
 * If this process exits without stopping it, the group is killed, so no orphan keeps its port.
 */
export function startService(name: string, command: string, args: string[], options: ServiceOptions = {}): Service {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const print = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      options.onLine?.(line);
      if (!options.quiet) console.log(`[${name}] ${line}`);
    }
  };
  child.stdout?.on('data', print);
  child.stderr?.on('data', print);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  return {
    name,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), options.graceMs ?? 5_000);
        await exited;
        clearTimeout(timer);
      }
      // Only now: should this process exit while the group is still going down, it is killed.
      process.removeListener('exit', killOnExit);
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
