'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';

import type { ClientError } from '@/lib/api-client';
import type { PasskeyOptionsJson } from '@/lib/api-contract';
import { HOME_PATH } from '@/lib/paths';
import {
  abortPasskeyCeremony,
  browserHasWebAuthn,
  browserSupportsAutofill,
  pageCanUsePasskeys,
  signInOptions,
  signInWithPasskey,
} from '@/lib/passkey-client';
import { signedInDestination } from '@/lib/safe-next-path';
import { useSingleFlight } from './use-single-flight';

type Props = {
  /** Already checked on the server to be a same-origin path, or null. */
  next: string | null;
  /** Says in the phone form's alert why a passkey did not sign the person in (null clears it). */
  onError: (error: ClientError | null) => void;
};

/** Fresh sign-in options, or null when passkeys are off here or this page cannot use them. */
async function usableOptions(): Promise<PasskeyOptionsJson | null> {
  const started = await signInOptions();
  return started.ok && pageCanUsePasskeys(started.data.options.rpId) ? started.data.options : null;
}

/**
 * "Sign in with a passkey" beside the phone form, and the passkeys among the phone field's
 * suggestions (conditional mediation) where the browser has them. Shown only once the server has
 * answered options for this page: with the `static` strategy, without a relying party, or in a
 * browser without WebAuthn there is nothing here and the SMS path is the page.
 */
export function PasskeySignIn({ next, onError }: Props) {
  const t = useTranslations('passkeys');
  const [available, setAvailable] = useState(false);
  const flight = useSingleFlight();
  const autofill = useRef(false);

  const signedIn = (redirectTo: string) => window.location.assign(signedInDestination(next, redirectTo, HOME_PATH));

  // The autofill ceremony waits until the person picks a passkey in the phone field's
  // suggestions; the button's ceremony aborts it, and it starts again once that one is over.
  const listenForAutofill = async (options?: PasskeyOptionsJson | null) => {
    if (!autofill.current) return;
    const ready = options ?? (await usableOptions());
    if (!ready) return;
    const result = await signInWithPasskey(ready, { autofill: true });
    if (result.ok) signedIn(result.data.redirectTo);
    // An abort is the button taking over, or the page going: nothing to say.
    else if (result.error.code !== 'passkey_cancelled') onError(result.error);
  };

  useEffect(() => {
    if (!browserHasWebAuthn()) return;
    let mounted = true;
    void (async () => {
      const options = await usableOptions();
      if (!mounted || !options) return;
      setAvailable(true);
      autofill.current = await browserSupportsAutofill();
      if (mounted) void listenForAutofill(options);
    })();
    return () => {
      mounted = false;
      autofill.current = false;
      void abortPasskeyCeremony();
    };
    // Once per page: a later `next` or `onError` is the same page's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!available) return null;

  const signInWithButton = async () => {
    if (!flight.start()) return;
    onError(null);
    const options = await usableOptions();
    const result = options
      ? await signInWithPasskey(options, { autofill: false })
      : ({ ok: false, error: { code: 'passkeys_unavailable' } } as const);
    if (result.ok) {
      signedIn(result.data.redirectTo);
      return; // busy until the next page has loaded
    }
    flight.finish();
    onError(result.error);
    void listenForAutofill();
  };

  return (
    <p className="passkey-sign-in">
      <button type="button" className="secondary" disabled={flight.busy} onClick={() => void signInWithButton()}>
        {t('signIn')}
      </button>
    </p>
  );
}
