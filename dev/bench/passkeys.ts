// The members' passkeys the bench signs in with, added as a person adds one: an SMS sign-in, then
// "Add a passkey" through the app's own routes, the software authenticator answering for them.
import { SoftwareAuthenticator } from '../../tests/support/software-authenticator';
import { appPost, BENCH_RP_ID, bodyOf, cookieOf, type AppTarget, type Delivery } from './systems';

/** One passkey for each of `phones`, one member after the other: each member's authenticator, by phone number. */
export async function addPasskeys(
  app: AppTarget,
  delivered: Delivery,
  phones: readonly string[],
): Promise<Map<string, SoftwareAuthenticator>> {
  const post = appPost(app);
  /** A step of the person's session: its answer checked, the cookie carried on. */
  const step = async (what: string, path: string, body: unknown, cookie?: string) => {
    const response = await post(path, JSON.stringify(body), cookie);
    return { body: await bodyOf(response, what), cookie: cookieOf(response) ?? cookie };
  };
  const passkeys = new Map<string, SoftwareAuthenticator>();
  for (const phone of phones) {
    const started = await step('app start', '/api/auth/start', { phone });
    const signedIn = await step('app verify', '/api/auth/verify', { code: await delivered(phone) }, started.cookie);
    const ceremony = await step('app passkey add options', '/api/auth/passkey/add/options', {}, signedIn.cookie);
    const options = ceremony.body.options as { challenge: string; user: { id: string } };
    const authenticator = new SoftwareAuthenticator();
    const response = authenticator.register({
      challenge: options.challenge,
      origin: app.origin,
      rpId: BENCH_RP_ID,
      userHandle: options.user.id,
    });
    const added = await step('app passkey add', '/api/auth/passkey/add', { response }, ceremony.cookie);
    if (typeof (added.body.passkey as { id?: unknown } | undefined)?.id !== 'string')
      throw new Error(`app passkey add answered an unexpected body: ${JSON.stringify(added.body).slice(0, 200)}`);
    passkeys.set(phone, authenticator);
  }
  return passkeys;
}
