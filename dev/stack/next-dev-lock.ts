// `next dev` runs once per project directory (it locks its output directory, .next/dev, and a
// second one exits at once). `npm test` runs the integration and browser layers at the same time,
// and each has a test that starts `next dev`: each takes this lock first, so the second waits for
// the first to finish instead of failing.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { waitFor } from './wait';

const lockFile = join(import.meta.dirname, '..', '..', '.local', 'next-dev-test.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(): string {
  try {
    return readFileSync(lockFile, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Takes the file if nobody holds it, or only a process that has ended (a run that was killed). */
function tryTake(): true | undefined {
  mkdirSync(join(lockFile, '..'), { recursive: true });
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // An empty file is one being written; a missing one was just given up (the next poll takes it).
  const holder = Number(readHolder() || NaN);
  if (Number.isNaN(holder) || alive(holder)) return undefined;
  rmSync(lockFile, { force: true });
  return tryTake();
}

/** Waits until this process may start `next dev`; call the returned function once it has stopped. */
export async function holdNextDevLock(timeoutMs: number): Promise<() => void> {
  await waitFor('no other test runs `next dev` in this directory', tryTake, { timeoutMs, intervalMs: 500 });
  return () => rmSync(lockFile, { force: true });
}
