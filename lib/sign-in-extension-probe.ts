// How the app's side finds out whether the sms-sign-in extension works for it: one harmless
// lookup with the app's key, told apart by status and error code. The setup command
// (scripts/directus-setup) and the app's /api/health both ask it this way.

export const PROBE_PATH = '/sms-sign-in/lookup';
/** Lookup only reads; this number is in Ofcom's range for drama, so it is nobody's. */
export const PROBE_PHONE = '+447700900000';
export const KEY_HEADER = 'X-SMS-Sign-In-Key';

/** What the lookup answered: its status, and the error code of Directus or of the extension (or NOT_DIRECTUS: not JSON). */
export interface ExtensionProbe {
  status: number;
  code?: string;
}

export type ExtensionState = 'not-loaded' | 'not-configured' | 'configured' | 'key-matches' | 'no-phone-field' | 'key-wrong' | 'unexpected';

export function classifyProbe(probe: ExtensionProbe, keyGiven: boolean): ExtensionState {
  if (probe.status === 404) return 'not-loaded';
  if (probe.status === 503 && probe.code === 'not_configured') return 'not-configured';
  if (probe.status === 401 && probe.code === 'invalid_app_key') return keyGiven ? 'key-wrong' : 'configured';
  if (probe.status === 200 && !probe.code && keyGiven) return 'key-matches';
  // Only the right key gets this far: the key is checked before the phone is looked up.
  if (probe.status === 503 && probe.code === 'phone_field_missing') return 'no-phone-field';
  return 'unexpected';
}

export interface ProbeOptions {
  /** Directus's URL. */
  url: string;
  /** The app's key; without it, the probe tells only whether the extension is loaded and configured. */
  key?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** POSTs the harmless lookup, without any Directus credential. Network failures and timeouts are thrown. */
export async function probeSignInExtension({ url, key, timeoutMs, fetch: doFetch = fetch }: ProbeOptions): Promise<ExtensionProbe> {
  const response = await doFetch(`${url.replace(/\/+$/, '')}${PROBE_PATH}`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(key ? { [KEY_HEADER]: key } : {}) },
    body: JSON.stringify({ phone: PROBE_PHONE }),
    signal: AbortSignal.timeout(timeoutMs),
    cache: 'no-store',
    redirect: 'manual',
  });
  const json = parseJson(await response.text());
  if (response.ok)
    return json === undefined || typeof json !== 'object' || json === null
      ? { status: response.status, code: 'NOT_DIRECTUS' }
      : { status: response.status };
  // Directus's shape, or the extension's (`{"error":{"code","message"}}`).
  const body = json as { errors?: { extensions?: { code?: unknown } }[]; error?: { code?: unknown } } | undefined;
  const code = body?.errors?.[0]?.extensions?.code ?? body?.error?.code;
  return { status: response.status, code: typeof code === 'string' ? code : undefined };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
