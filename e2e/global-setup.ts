import { existsSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';

import { ensureExtensionBuilt } from '../dev/directus/sign-in-extension';
import { browserWorkerOffset, testPortsAt } from '../dev/stack/test-ports';
import { startTestStack, type TestStack } from '../dev/stack/test-stack';
import { headlessShellPath } from './chromium';
import type { WorkerStack } from './fixtures';

// A stack for each worker, for the whole browser run (the worker's TEST_PORTS, test-ports.ts):
// specs reset the emulator and the limits where they need to, which stays within a worker's own.
export default async function globalSetup(config: FullConfig) {
  if (!existsSync(headlessShellPath)) {
    throw new Error(
      `No Chromium headless shell at ${headlessShellPath}: install Debian's (apt-get install chromium-headless-shell) or set CHROMIUM_HEADLESS_SHELL_PATH.`,
    );
  }
  // Built once here, before the stacks' Directus starts at once would each see it stale and build it.
  await ensureExtensionBuilt((line) => process.stdout.write(`${line}\n`));
  const started = await Promise.allSettled(
    Array.from({ length: config.workers }, (_, worker) => startTestStack(testPortsAt(browserWorkerOffset(worker)))),
  );
  const stacks = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopAll = async () => {
    await Promise.all(stacks.map((stack) => stack.stop()));
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  // Handed to the workers (which inherit this environment), each taking its own by its index.
  process.env.E2E_STACKS = JSON.stringify(stacks.map(forWorker));
  return stopAll;
}

function forWorker(stack: TestStack): WorkerStack {
  return { emulatorUrl: stack.emulatorUrl, directusUrl: stack.directusUrl, redisUrl: stack.redisUrl, appEnv: stack.appEnv };
}
