// Child processes that run under this Node (the one the project pins), to their end: the install's
// npm and tar, and Directus's bootstrap.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

import { outputTail } from '../stack/output-tail';

export type Log = (line: string) => void;

/** Environment for child processes that must run under this Node (first on PATH). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // npm run exports npm_config_* of the parent project; they must not leak into the child install.
  for (const key of Object.keys(env)) {
    if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = [dirname(process.execPath), env[pathKey] ?? ''].filter(Boolean).join(':');
  return { ...env, ...extra };
}

export function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  log: Log;
  label: string;
  /** Print each output line (prefixed) instead of only keeping it for errors. */
  stream?: boolean;
  /** Lines not worth printing (still kept for error messages). */
  hide?: RegExp[];
  heartbeat?: () => Promise<string>;
}

/** Runs a command to its end, keeps its last lines for the error message, prints a heartbeat every 10 s. */
export function runToEnd(cmd: string, args: string[], opts: RunOptions): Promise<void> {
  const started = Date.now();
  const tail = outputTail(40);
  let hidden = 0;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (buf: Buffer) => {
      for (const raw of buf.toString('utf8').split(/\r?\n|\r/)) {
        const line = raw.trimEnd();
        if (!line) continue;
        tail.add(line);
        if (!opts.stream) continue;
        if (opts.hide?.some((re) => re.test(line))) hidden += 1;
        else opts.log(`  ${opts.label}: ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      void (opts.heartbeat ? opts.heartbeat() : Promise.resolve(''))
        .catch(() => '')
        .then((extra) => opts.log(`  ${opts.label}: still running (${elapsed(started)})${extra ? `, ${extra}` : ''}`));
    }, 10_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(new Error(`${opts.label}: could not start ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (hidden > 0) opts.log(`  ${opts.label}: (${hidden} warning lines not shown)`);
      if (code === 0) resolve();
      else reject(new Error(`${opts.label} failed (${signal ?? `exit ${code}`}) after ${elapsed(started)}. Last output:\n${tail.text()}`));
    });
  });
}
