'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

import { postJson, type ClientError } from '@/lib/api-client';
import type { PasskeyRemovedResponse, PasskeyResponse } from '@/lib/api-contract';
import { errorText } from '@/lib/error-text';
import { addPasskey, browserHasWebAuthn, deviceHasPlatformAuthenticator } from '@/lib/passkey-client';
import { useHydrated } from './use-hydrated';
import { useSingleFlight } from './use-single-flight';

/** A passkey as the account page shows it, its dates already written in the page's language. */
export type PasskeyView = { id: string; name: string; backedUp: boolean; added: string; lastUsed: string | null };

type Props = { passkeys: PasskeyView[] };

/** Where a device remembers that it offered a passkey once (taken up or dismissed). */
const OFFERED_KEY = 'sms-sign-in.passkey-offered';
/** Adding a passkey after a sign-in by passkey, or long after the code: a new code, then back here. */
const NEW_CODE_PATH = '/login?next=/account';

function rememberOffered() {
  try {
    localStorage.setItem(OFFERED_KEY, '1');
  } catch {
    // Storage refused (private mode): the offer may come again, nothing worse.
  }
}

function offeredBefore(): boolean {
  try {
    return localStorage.getItem(OFFERED_KEY) !== null;
  } catch {
    return true;
  }
}

/**
 * The account's passkeys: "Add a passkey", the list with Rename and Remove per passkey, and once
 * per device the offer to add one. Each change asks the server for the page again (the list is
 * read there), and says what happened in a polite status.
 */
export function PasskeysSection({ passkeys }: Props) {
  const t = useTranslations();
  const id = useId();
  const router = useRouter();
  const scripted = useHydrated();
  const flight = useSingleFlight();
  const [error, setError] = useState<ClientError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [offer, setOffer] = useState(false);
  // The control to focus once the change's buttons are enabled again (a disabled one takes no focus).
  // Set with a state change, so that the render after it moves the focus.
  const focusNext = useRef<string | null>(null);
  const setFocusNext = (elementId: string) => {
    focusNext.current = elementId;
  };
  const addId = `${id}-add`;
  const renameId = (passkey: PasskeyView) => `${id}-rename-${passkey.id}`;

  useEffect(() => {
    if (!focusNext.current || flight.busy) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });

  useEffect(() => {
    if (passkeys.length > 0 || offeredBefore()) return;
    let mounted = true;
    void deviceHasPlatformAuthenticator().then((has) => mounted && setOffer(has));
    return () => {
      mounted = false;
    };
  }, [passkeys.length]);

  /**
   * Runs one change at a time; on success `done` (before the buttons are enabled again, so that a
   * focus it asks for lands), the list refreshed and `sentence` said. On failure the error is
   * said and the focus goes back to `retry`, whose button the change had disabled.
   */
  const change = async (
    run: () => Promise<{ ok: true } | { ok: false; error: ClientError }>,
    { sentence, done, retry }: { sentence: string; done: () => void; retry?: string },
  ) => {
    if (!flight.start()) return;
    setError(null);
    setDone(null);
    const result = await run();
    if (result.ok) {
      done();
      setDone(sentence);
      router.refresh();
    } else {
      if (retry) setFocusNext(retry);
      setError(result.error);
    }
    flight.finish();
  };

  const add = () =>
    change(addPasskey, {
      sentence: t('passkeys.added'),
      retry: addId,
      done: () => {
        rememberOffered();
        setOffer(false);
        setFocusNext(addId);
      },
    });

  const remove = (passkey: PasskeyView) =>
    change(() => postJson<PasskeyRemovedResponse>('/api/auth/passkey/remove', { id: passkey.id }), {
      sentence: t('passkeys.removed'),
      done: () => setFocusNext(addId),
    });

  const rename = (passkey: PasskeyView, name: string) =>
    change(() => postJson<PasskeyResponse>('/api/auth/passkey/rename', { id: passkey.id, name }), {
      sentence: t('passkeys.renamed'),
      done: () => {
        setRenaming(null);
        setFocusNext(renameId(passkey));
      },
    });

  const headingId = `${id}-heading`;
  const canAdd = scripted && browserHasWebAuthn();

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('passkeys.heading')}</h2>
      <p>{t('passkeys.intro')}</p>
      {offer ? (
        <div className="passkey-offer" role="group" aria-labelledby={`${id}-offer`}>
          <h3 id={`${id}-offer`}>{t('passkeys.offerHeading')}</h3>
          <p>{t('passkeys.offer')}</p>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              rememberOffered();
              setOffer(false);
              setFocusNext(addId);
            }}
          >
            {t('passkeys.notNow')}
          </button>
        </div>
      ) : null}
      {passkeys.length > 0 ? (
        <ul aria-label={t('passkeys.yourPasskeys')} className="devices passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id}>
              <strong>{passkey.name}</strong>
              {passkey.backedUp ? <span className="badge">{t('passkeys.synced')}</span> : null}
              <span className="muted">
                {t('passkeys.addedAt', { when: passkey.added })}{' '}
                {passkey.lastUsed ? t('passkeys.lastUsedAt', { when: passkey.lastUsed }) : t('passkeys.neverUsed')}
              </span>
              {renaming === passkey.id ? (
                <RenameForm
                  passkey={passkey}
                  busy={flight.busy}
                  onSave={(name) => void rename(passkey, name)}
                  onCancel={() => {
                    setRenaming(null);
                    setError(null);
                    setFocusNext(renameId(passkey));
                  }}
                />
              ) : scripted ? (
                <span className="passkey-actions">
                  <button
                    id={renameId(passkey)}
                    type="button"
                    className="secondary"
                    aria-label={t('passkeys.renameLabel', { name: passkey.name })}
                    disabled={flight.busy}
                    onClick={() => {
                      setDone(null);
                      setRenaming(passkey.id);
                    }}
                  >
                    {t('passkeys.rename')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t('passkeys.removeLabel', { name: passkey.name })}
                    disabled={flight.busy}
                    onClick={() => void remove(passkey)}
                  >
                    {t('passkeys.remove')}
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('passkeys.none')}</p>
      )}
      {canAdd ? (
        <button id={addId} type="button" disabled={flight.busy} onClick={() => void add()}>
          {t('passkeys.add')}
        </button>
      ) : null}
      <p role="alert" className="form-error">
        {error ? errorText(error, t) : null}
        {error?.code === 'recent_sign_in_required' ? (
          <>
            {' '}
            <Link href={NEW_CODE_PATH} prefetch={false}>
              {t('passkeys.newCode')}
            </Link>
          </>
        ) : null}
      </p>
      <p role="status" className="visually-hidden">
        {done}
      </p>
    </section>
  );
}

type RenameProps = { passkey: PasskeyView; busy: boolean; onSave: (name: string) => void; onCancel: () => void };

function RenameForm({ passkey, busy, onSave, onCancel }: RenameProps) {
  const t = useTranslations('passkeys');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSave(input.current?.value ?? '');
  };
  return (
    <form className="passkey-rename" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('newName', { name: passkey.name })}</label>
        <input ref={input} id={`${id}-name`} name="name" defaultValue={passkey.name} maxLength={50} autoComplete="off" />
      </div>
      <button type="submit" disabled={busy}>
        {t('save')}
      </button>{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        {t('cancel')}
      </button>
    </form>
  );
}
