// The test profile runs beside a dev stack without clashing: other ports, other data.
// TEST_PORT_OFFSET moves a second test run out of the way of a first one.
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
export const TEST_PORTS = {
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
