// Chromium's virtual authenticator through the DevTools protocol's WebAuthn domain, for the
// browser tests and the bench: passkeys in a real browser with no person to touch a key.
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

export type VirtualAuthenticator = { cdp: CDPSession; authenticatorId: string };

/** A platform authenticator (a phone's screen lock) that says yes by itself. */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A browser without passkey autofill: only the button signs in with a passkey. */
export async function withoutPasskeyAutofill(context: BrowserContext) {
  await context.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
  });
}
