import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { parseEnv } from '@/lib/server/env';
import { benchAppEnv } from './app-env';
import type { AppConfig } from './bench-stack';

const services = {
  directusUrl: 'http://127.0.0.1:8105',
  extensionKey: randomBytes(32).toString('base64url'),
  emulatorUrl: 'http://127.0.0.1:4060',
  redisUrl: 'redis://127.0.0.1:6429',
  serviceToken: 'service-token-of-the-bench-directus',
  memberRoleId: '5a2b7c3e-1d4f-4e6a-9b8c-0d1e2f3a4b5c',
};

describe("the bench app's environment", () => {
  const configs: AppConfig[] = (['session', 'static'] as const).flatMap((strategy) =>
    (['redis', 'memory'] as const).flatMap((limits) => [true, false].map((deliveryReports) => ({ strategy, limits, deliveryReports }))),
  );

  it.each(configs)('is one the production app boots with: %o', (config) => {
    const env = parseEnv({ ...benchAppEnv(config, services), APP_URL: 'http://localhost:3550' });
    expect(env.DIRECTUS_CREDENTIALS).toBe(config.strategy);
    expect(env.LIMIT_PASSKEY_SIGN_INS_PER_IP_10_MIN).toBe(1_000_000);
  });
});
