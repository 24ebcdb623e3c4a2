// Maps whatever a Directus call threw to one clear line (no stack traces) and an exit code.
import { DirectusHttpError } from './http';
import { maskPhone } from '../../lib/phone';

/** Directus error messages can echo values (e.g. on unique violations): mask anything phone-like. */
export function maskPhonesIn(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, (m) => {
    const digits = m.replace(/\D/g, '').length;
    // International numbers from 7 digits, national ones from 9 (so dates and short ids stay readable).
    return digits >= (m.startsWith('+') ? 7 : 9) ? maskPhone(m) : m;
  });
}

export type FailureKind = 'connection' | 'auth' | 'usage' | 'unexpected';

export class SetupFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'SetupFailure';
  }
}

function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Reads status/code from our DirectusHttpError or from an @directus/sdk error object. */
function httpShape(err: unknown): { status: number; code?: string; message: string } | null {
  if (err instanceof DirectusHttpError) return { status: err.status, code: err.code, message: err.message };
  if (err && typeof err === 'object' && 'response' in err) {
    const res = (err as { response?: { status?: unknown } }).response;
    const first = (err as { errors?: { message?: string; extensions?: { code?: string } }[] }).errors?.[0];
    if (res && typeof res.status === 'number') {
      return { status: res.status, code: first?.extensions?.code, message: first?.message ?? `HTTP ${res.status}` };
    }
  }
  return null;
}

export function describeFailure(err: unknown, url: string, timeoutMs?: number): SetupFailure {
  if (err instanceof SetupFailure) return err;
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SetupFailure(
      'connection',
      `Directus at ${url} did not answer${timeoutMs ? ` within ${Math.round(timeoutMs / 1000)}s` : ''} (timeout).`,
    );
  }
  const http = httpShape(err);
  if (http) {
    if (http.status === 401) {
      return new SetupFailure(
        'auth',
        `Directus at ${url} rejected the token (401${http.code ? ` ${http.code}` : ''}). Check --token / DIRECTUS_ADMIN_TOKEN.`,
      );
    }
    if (http.status === 403) {
      return new SetupFailure(
        'auth',
        `The token has no rights for this on Directus at ${url} (403${http.code ? ` ${http.code}` : ''}). The setup needs an admin token.`,
      );
    }
    if (http.status === 404 && (http.code === 'ROUTE_NOT_FOUND' || !http.code)) {
      return new SetupFailure('connection', `${url} does not look like a Directus 11+ API (HTTP 404 on a Directus route).`);
    }
    if (http.code === 'NOT_DIRECTUS') {
      return new SetupFailure('connection', `${url} does not look like a Directus API (${http.message}).`);
    }
    return new SetupFailure(
      'unexpected',
      `Directus at ${url} answered HTTP ${http.status}${http.code ? ` ${http.code}` : ''}: ${maskPhonesIn(http.message)}`,
    );
  }
  const code = errorCode(err);
  if (code === 'ECONNREFUSED') return new SetupFailure('connection', `Cannot reach Directus at ${url}: connection refused.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SetupFailure('connection', `Cannot reach Directus at ${url}: host not found.`);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return new SetupFailure('connection', `Cannot reach Directus at ${url}: connection reset.`);
  }
  if (code?.startsWith('UND_ERR') || code?.startsWith('E') || (err instanceof TypeError && err.message === 'fetch failed')) {
    return new SetupFailure('connection', `Cannot reach Directus at ${url}${code ? ` (${code})` : ''}.`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SetupFailure('unexpected', `Setup failed against ${url}: ${maskPhonesIn(message)}`);
}

/** Usage, connection and auth failures (and anything that stops the run) exit with 2. */
export const FAILURE_EXIT_CODE = 2;
