import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import type { DevSession } from '@/dev/plivo-emulator/dev-routes';
import { getEnv } from '@/lib/server/env';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('inbox'))('title'), robots: { index: false, follow: false } };
}
export const dynamic = 'force-dynamic';

type EmulatorSession = Omit<DevSession, 'deliveries' | 'validations'>;

type Failure = { kind: 'status'; status: number } | { kind: 'unexpected' } | { kind: 'timeout' } | { kind: 'connection' };
type Inbox = { ok: true; sessions: EmulatorSession[] } | { ok: false; failure: Failure };

const TIMEOUT_MS = 2_000;

export default async function DevInboxPage() {
  // `return` makes the rest unreachable once NODE_ENV is inlined, so production bundles drop it.
  if (process.env.NODE_ENV === 'production') return notFound();
  const env = getEnv();
  if (!env.plivoEmulated) return notFound();

  const [inbox, t] = await Promise.all([fetchInbox(env.PLIVO_API_URL), getTranslations('inbox')]);
  const reason = (failure: Failure) => {
    if (failure.kind === 'status') return `HTTP ${failure.status}`;
    if (failure.kind === 'timeout') return t('timedOut', { seconds: TIMEOUT_MS / 1000 });
    return failure.kind === 'unexpected' ? t('unexpectedResponse') : t('connectionFailed');
  };
  return (
    <main className="inbox">
      <h1 id="inbox-heading">{t('title')}</h1>
      <p className="muted">
        {t.rich('intro', { url: env.PLIVO_API_URL, code: (text) => <code>{text}</code> })}{' '}
        <Link href="/dev/inbox" prefetch={false}>
          {t('refresh')}
        </Link>
      </p>
      {!inbox.ok ? (
        <p role="status">{t('unreachable', { reason: reason(inbox.failure) })}</p>
      ) : inbox.sessions.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        // Scrolls sideways on phones: focusable, so the keyboard can scroll it too, and named.
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="inbox-heading">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('code')}</th>
                <th scope="col">{t('to')}</th>
                <th scope="col">{t('channel')}</th>
                <th scope="col">{t('language')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('created')}</th>
              </tr>
            </thead>
            <tbody>
              {inbox.sessions.map((s) => (
                <tr key={s.session_uuid}>
                  <td>
                    <strong>{s.code}</strong>
                  </td>
                  <td>{s.recipient}</td>
                  <td>{s.channel}</td>
                  <td>{s.locale}</td>
                  <td>{s.status}</td>
                  <td>{s.created_at}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

async function fetchInbox(apiUrl: string): Promise<Inbox> {
  const url = `${apiUrl.replace(/\/+$/, '')}/dev/sessions`;
  try {
    const response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { ok: false, failure: { kind: 'status', status: response.status } };
    const body: unknown = await response.json();
    const sessions = (body as { sessions?: unknown }).sessions;
    if (!Array.isArray(sessions)) return { ok: false, failure: { kind: 'unexpected' } };
    return { ok: true, sessions: sessions.filter(isSession) };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { ok: false, failure: { kind: timedOut ? 'timeout' : 'connection' } };
  }
}

function isSession(value: unknown): value is EmulatorSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['session_uuid', 'recipient', 'channel', 'status', 'code', 'locale', 'created_at'].every((key) => typeof v[key] === 'string');
}
