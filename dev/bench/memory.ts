// The memory store's heap after a flood of decoy starts. The unit test that holds the store to its
// bound (lib/server/sign-in/sms/decoy-flood.test.ts) measures it with the real start use-case over
// its fakes, so the bench runs that test and reports its figure rather than measuring it twice.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..', '..');

export async function measureMemoryStore(): Promise<string> {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [vitest, 'run', '--project', 'unit', 'lib/server/sign-in/sms/decoy-flood.test.ts'],
    {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 16 * 2 ** 20,
    },
  );
  const figure = /heap after .*/.exec(stdout)?.[0];
  if (!figure) throw new Error(`the decoy flood test printed no heap figure:\n${stdout}`);
  return `Memory store: ${figure}`;
}
