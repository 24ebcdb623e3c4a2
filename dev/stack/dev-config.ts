// What `npm run dev` runs with, checked before anything starts: its own port settings, the local
// stack's defaults it fills in (URLs of the Directus and emulator it starts), and then the very
// validation the app itself runs (lib/server/env.ts), so a bad variable stops it at once by name.
import { LOCAL_STACK } from '../../lib/local-stack';
import { EnvError, parseEnv } from '../../lib/server/env';

type Source = Record<string, string | undefined>;

export type DevConfig = {
  ports: { app: number; directus: number; emulator: number };
  /** Start the local Directus (DIRECTUS_URL unset or the local default) rather than use a configured one. */
  localDirectus: boolean;
  /** Start the emulator (PLIVO_AUTH_ID unset or the local default) rather than use the real Plivo. */
  localPlivo: boolean;
  /** What the stack fills in for the app (next dev), beside the developer's own variables. */
  appEnv: Record<string, string>;
  /** What the local Directus's extension gets beside the stack's own settings: passkeys for the app's origin. */
  directusEnv: Record<string, string>;
};

/** The dev stack's port settings: the app's PORT and where the local Directus and emulator listen. */
const PORT_SETTINGS = { app: ['PORT', 3000], directus: ['DEV_DIRECTUS_PORT', 8055], emulator: ['DEV_PLIVO_EMULATOR_PORT', 4010] } as const;

export class DevConfigError extends Error {
  override name = 'DevConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
  }
}

function readPorts(source: Source, problems: string[]): DevConfig['ports'] {
  const entries = Object.entries(PORT_SETTINGS).map(([key, [name, fallback]]) => {
    const raw = source[name] || String(fallback);
    const port = Number(raw);
    if (/^\d+$/.test(raw) && port >= 1 && port <= 65_535) return [key, port];
    problems.push(`${name}: must be a port number from 1 to 65535 (got "${raw}")`);
    return [key, fallback]; // so that the URLs built from it do not add problems of their own
  });
  return Object.fromEntries(entries) as DevConfig['ports'];
}

/** Validates the dev stack's configuration; throws a DevConfigError naming every bad variable. */
export function checkDevConfig(source: Source): DevConfig {
  const problems: string[] = [];
  const ports = readPorts(source, problems);
  // The values of .env.example are the local stack's own, so copying that file changes nothing.
  const localDirectus = !source.DIRECTUS_URL || source.DIRECTUS_URL === LOCAL_STACK.directus.url;
  const localPlivo = !source.PLIVO_AUTH_ID || source.PLIVO_AUTH_ID === LOCAL_STACK.plivo.authId;
  const appEnv: Record<string, string> = {
    APP_URL: source.APP_URL || `http://localhost:${ports.app}`,
    ...(localDirectus ? { DIRECTUS_URL: `http://127.0.0.1:${ports.directus}` } : {}),
    // The members area's client component reads through the pass-through, which passes nothing by default.
    ...(localDirectus && !source.DIRECTUS_PASS_THROUGH ? { DIRECTUS_PASS_THROUGH: LOCAL_STACK.passThrough } : {}),
    ...(localPlivo ? { PLIVO_API_URL: `http://127.0.0.1:${ports.emulator}` } : {}),
  };
  try {
    // next dev runs the app in development whatever the shell says.
    parseEnv({ ...source, ...appEnv, NODE_ENV: 'development' });
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    problems.push(
      ...error.message
        .split('\n')
        .slice(1)
        .map((line) => line.trim()),
    );
  }
  if (problems.length) throw new DevConfigError(problems);
  return { ports, localDirectus, localPlivo, appEnv, directusEnv: passkeySettings(appEnv.APP_URL!) };
}

/**
 * The extension's relying party for the app's own origin, so that a newcomer can add a passkey:
 * browsers allow passkeys on https and on http://localhost only, never on an IP address.
 */
function passkeySettings(appUrl: string): Record<string, string> {
  const { protocol, hostname, origin } = new URL(appUrl);
  const allowed = hostname === 'localhost' || (protocol === 'https:' && !/^[\d.]+$|^\[/.test(hostname));
  return allowed ? { SMS_SIGN_IN_PASSKEY_RP_ID: hostname, SMS_SIGN_IN_PASSKEY_ORIGINS: origin } : {};
}
