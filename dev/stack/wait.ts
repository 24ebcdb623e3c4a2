// The one polling loop of the local stack and its tests: wait until a service answers, fail early
// if its process exits, and say what was being waited for (and the service's last output) if not.
import type { Service } from './service';

export type WaitOptions = {
  timeoutMs: number;
  /** Between two probes (default 250 ms). */
  intervalMs?: number;
  /** Fail at once, rather than at the timeout, when this service's process exits. */
  service?: Service;
  /** Appended to the error, e.g. the service's last output lines. */
  lastOutput?: () => string;
};

/** Calls `probe` until it returns something other than undefined, and returns that. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const exit = options.service ? exitOf(options.service) : null;
    if (exit) throw waitError(`${options.service?.name} exited (${exit}) before ${what}`, options);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw waitError(`timed out after ${options.timeoutMs / 1000} s waiting until ${what}`, options);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

/** A response the caller accepts as "up" (default: any 2xx). */
export type ReadyCheck = (response: Response) => boolean | Promise<boolean>;

/** One request: does `url` answer, and as `ready` wants? */
export async function answersHttp(
  url: string,
  { ready = (r) => r.ok, timeoutMs = 2_000 }: { ready?: ReadyCheck; timeoutMs?: number } = {},
): Promise<boolean> {
  try {
    return await ready(await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }));
  } catch {
    return false;
  }
}

/** Polls `url` until it answers 2xx (or as `ready` wants). */
export async function waitForHttp(url: string, { ready, ...options }: WaitOptions & { ready?: ReadyCheck }): Promise<void> {
  await waitFor(`${url} answered`, async () => ((await answersHttp(url, { ready })) ? true : undefined), options);
}

function exitOf({ child }: Service): string | null {
  if (child.signalCode !== null) return child.signalCode;
  return child.exitCode === null ? null : `exit ${child.exitCode}`;
}

function waitError(message: string, { lastOutput }: WaitOptions): Error {
  return new Error(lastOutput ? `${message}. Last output:\n${lastOutput()}` : message);
}
