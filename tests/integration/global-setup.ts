import type { TestProject } from 'vitest/node';

import { startTestStack } from '../../dev/stack/test-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { appUrl: string; directusUrl: string; emulatorUrl: string; redisUrl: string; appEnv: Record<string, string>; appLog: string };
  }
}

export default async function setup(project: TestProject) {
  const { stop, ...stack } = await startTestStack();
  project.provide('stack', stack);
  return stop;
}
