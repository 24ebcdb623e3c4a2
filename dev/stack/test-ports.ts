// The test profile runs beside a dev stack without clashing: other ports, other data.
// TEST_PORT_OFFSET moves a second test run out of the way of a first one.

/**
 * How far apart two test stacks of one run are (`npm test`'s lanes, the browser tests' workers):
 * far enough that no file's extra ports (the test ports plus a few dozen) reach the next stack's,
 * and none of them lands on a port fetch refuses to connect to (the Fetch standard's "bad ports",
 * such as 4190 and 5060; steps of 50 hit both), from offset 0 up.
 */
export const STACK_OFFSET_STEP = 100;

/** The ports of the test stack `offset` ports away from the default one. */
export function testPortsAt(offset: number) {
  return {
    app: 3100 + offset,
    staticApp: 3109 + offset,
    /** The app as browsers name it on localhost, which passkeys need (e2e/passkeys.spec.ts). */
    passkeyApp: 3128 + offset,
    directus: 8155 + offset,
    emulator: 4110 + offset,
    redis: 6390 + offset,
    pg: 5440 + offset,
    mysql: 3316 + offset,
  } as const;
}
export type TestPorts = ReturnType<typeof testPortsAt>;

export const TEST_PORT_BASE_OFFSET = Number(process.env.TEST_PORT_OFFSET ?? 0);
/**
 * Each Playwright worker runs against a stack of its own (e2e/global-setup.ts starts one per
 * worker), STACK_OFFSET_STEP further per worker; Playwright numbers its workers in
 * TEST_PARALLEL_INDEX. Everywhere else it is unset: the stack at TEST_PORT_OFFSET.
 */
export function browserWorkerOffset(parallelIndex: number): number {
  return TEST_PORT_BASE_OFFSET + parallelIndex * STACK_OFFSET_STEP;
}
export const TEST_PORTS = testPortsAt(browserWorkerOffset(Number(process.env.TEST_PARALLEL_INDEX ?? 0)));
