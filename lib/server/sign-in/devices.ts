import type { Device, SessionData, SignInDeps } from './ports';
/** The signed-in person's devices, this one marked; undefined for a strategy without several. */
export async function listDevices(deps: SignInDeps, session: SessionData): Promise<Device[] | undefined> {
  return session.user ? deps.credentials.devices?.list(session.user) : undefined;
}

/** Ends the person's sessions on every other device; this one stays signed in. */
export async function signOutOtherDevices(deps: SignInDeps, session: SessionData): Promise<void> {
  if (session.user) await deps.credentials.devices?.revokeOthers(session.user);
}
