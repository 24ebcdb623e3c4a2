// Direct calls to the local Directus, to check what the app did there.

export async function directusStatusFor(directusUrl: string, token: string): Promise<number> {
  const response = await fetch(`${directusUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  return response.status;
}

/** Ends a session-mode credential the way Directus's own logout does, behind the app's back. */
export async function endInDirectus(directusUrl: string, token: string): Promise<void> {
  const response = await fetch(`${directusUrl}/auth/logout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: `directus_session_token=${token}` },
    body: JSON.stringify({ mode: 'session' }),
  });
  if (!response.ok) throw new Error(`Directus logout: ${response.status}`);
}

/** What a test's own Directus needs to serve the test stack's app: its extension key and emulator. */
export function extensionSettings(stack: { emulatorUrl: string; appEnv: Record<string, string> }, env: Record<string, string> = {}) {
  return { plivoApiUrl: stack.emulatorUrl, env: { SMS_SIGN_IN_APP_KEY: stack.appEnv.DIRECTUS_EXTENSION_KEY!, ...env } };
}
