import type { FirstNameSavedResponse } from '@/lib/api-contract';
import { ApiError, SignInFailure } from '../errors';
import type { Outcome, SessionData, SignInDeps } from './ports';

const MAX_TYPED_NAME_LENGTH = 50;

/** A name as typed (a first name, a passkey's name): trimmed, 1 to 50 characters, no control characters; else undefined. */
export function cleanTypedName(typed: string): string | undefined {
  const name = typed.trim();
  return name.length >= 1 && name.length <= MAX_TYPED_NAME_LENGTH && !/\p{Cc}/u.test(name) ? name : undefined;
}

/**
 * The first-name step after sign-up: writes the signed-in person's own first name in Directus and
 * lets them past the step. A credential Directus no longer accepts means signed out.
 */
export async function saveFirstName(
  deps: SignInDeps,
  session: SessionData,
  input: { firstName: string },
): Promise<Outcome<FirstNameSavedResponse>> {
  if (!session.user) throw new ApiError('unauthorized');
  const firstName = cleanTypedName(input.firstName);
  if (!firstName) throw new ApiError('invalid_first_name');
  const user = await deps.credentials.setFirstName(session.user, firstName);
  if (!user) throw new SignInFailure('unauthorized', { pending: session.pending });
  const signedIn = { ...session.user };
  delete signedIn.needsFirstName;
  return { session: { ...session, user: signedIn }, body: { status: 'saved', user, redirectTo: deps.policy.homePath } };
}
