import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../../../tests/support/software-authenticator';
import { STAND_IN_KEY, verifyAssertion } from './passkeys';

const settings = { rpId: 'localhost', rpName: 'Tests', origins: ['http://localhost:3000'], recentSignInSeconds: 600 };
const challenge = Buffer.from('a challenge of the extension, 32 bytes').toString('base64url');
const assertion = new SoftwareAuthenticator('ES256').assert({ challenge, origin: settings.origins[0]!, rpId: settings.rpId });

describe('a passkey nobody registered', () => {
  it('is checked against the stand-in key through its signature, as a registered one is, and refused there', async () => {
    expect(await verifyAssertion(settings, challenge, assertion, STAND_IN_KEY)).toEqual({ refusal: 'bad_signature' });
  });
});
