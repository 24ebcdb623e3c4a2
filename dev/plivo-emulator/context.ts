// The emulator's shared state, built once per running instance and handed to every route.
import { createClock, type Clock } from './clock';
import { FaultRegistry } from './faults';
import type { RecipientRule } from './recipient-rules';
import { SessionStore, type StoreLimits } from './session-store';
import { StatusCallbacks } from './status-callbacks';
import { announceSessionEnd } from './delivery';

export interface EmulatorOptions {
  authId: string;
  authToken: string;
  /** 0 = a free port chosen by the OS. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Code lifetime, default 600 (the 10 minutes of Plivo's docs example). */
  expirySeconds?: number;
  /** The Verify app's code length, default 6; a request's code_length (4-8) overrides it. */
  codeLength?: number;
  /** Validations per session, default 10 (Plivo's documented limit). */
  maxValidations?: number;
  /** Deliveries (send + resends) per session, default 5. */
  maxAttempts?: number;
  /** The account's Verify application; create without app_uuid uses it. */
  appUuid?: string;
  /** Log sink (one line per event). Default: silent. */
  log?: (line: string) => void;
  /** Base clock in epoch ms, for tests that want full control of time. Default: wall clock. */
  now?: () => number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  expirySeconds: 600,
  codeLength: 6,
  maxValidations: 10,
  maxAttempts: 5,
  appUuid: '00000000-0000-4000-8000-0000000e0001',
  alias: 'default_verify_app',
} as const;

export interface EmulatorContext {
  authId: string;
  authToken: string;
  appUuid: string;
  alias: string;
  clock: Clock;
  store: SessionStore;
  faults: FaultRegistry;
  /** Per-recipient refusals and delivery caps (POST /dev/recipients), oldest first. */
  recipients: RecipientRule[];
  callbacks: StatusCallbacks;
  log: (line: string) => void;
  /** A timer that close() cancels, so injected latency never keeps the process alive. */
  delay: (ms: number) => Promise<void>;
  /** Marks sessions whose time ran out and sends their "expired" callback. */
  sweepExpired: () => void;
  /** Cancels timers and callbacks; the server closes the sockets. */
  dispose: () => void;
}

export function createContext(options: EmulatorOptions): EmulatorContext {
  const log = options.log ?? (() => {});
  const limits: StoreLimits = {
    expirySeconds: options.expirySeconds ?? DEFAULTS.expirySeconds,
    codeLength: options.codeLength ?? DEFAULTS.codeLength,
    maxValidations: options.maxValidations ?? DEFAULTS.maxValidations,
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
  };
  const clock = createClock(options.now);
  const store = new SessionStore(limits);
  const callbacks = new StatusCallbacks(options.authToken, log);
  const timers = new Set<NodeJS.Timeout>();

  const sweepExpired = (): void => {
    for (const session of store.takeNewlyExpired(clock.now())) {
      log(`session ${session.uuid} expired`);
      announceSessionEnd(callbacks, session, 'expired');
    }
  };
  // Expiry is lazy for answers (status is computed on read) but callbacks need a push.
  const sweeper = setInterval(sweepExpired, 1_000);
  sweeper.unref();

  return {
    authId: options.authId,
    authToken: options.authToken,
    appUuid: options.appUuid ?? DEFAULTS.appUuid,
    alias: DEFAULTS.alias,
    clock,
    store,
    faults: new FaultRegistry(),
    recipients: [],
    callbacks,
    log,
    delay: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
    sweepExpired,
    dispose() {
      clearInterval(sweeper);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      callbacks.close();
    },
  };
}
