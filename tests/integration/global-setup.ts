import type { TestProject } from 'vitest/node';

import { startTestStack, type TestStack } from '../../dev/stack/test-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: Omit<TestStack, 'stop'>;
  }
}

export default async function setup(project: TestProject) {
  const { stop, ...stack } = await startTestStack();
  project.provide('stack', stack);
  return stop;
}
