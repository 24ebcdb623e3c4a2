import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { getEnv } from '@/lib/server/env';

export const metadata: Metadata = { title: 'Developer inbox', robots: { index: false, follow: false } };
export const dynamic = 'force-dynamic';

type EmulatorSession = {
  session_uuid: string;
  recipient: string;
  channel: string;
  status: string;
  code: string;
  created_at: string;
};

type Inbox = { ok: true; sessions: EmulatorSession[] } | { ok: false; reason: string };

const TIMEOUT_MS = 2_000;

export default async function DevInboxPage() {
  // `return` makes the rest unreachable once NODE_ENV is inlined, so production bundles drop it.
  if (process.env.NODE_ENV === 'production') return notFound();
  const env = getEnv();
  if (!env.plivoEmulated) return notFound();

  const inbox = await fetchInbox(env.PLIVO_API_URL);
  return (
    <main className="inbox">
      <h1 id="inbox-heading">Developer inbox</h1>
      <p className="muted">
        Codes the Plivo emulator at <code>{env.PLIVO_API_URL}</code> would have sent, newest first.{' '}
        <Link href="/dev/inbox" prefetch={false}>
          Refresh
        </Link>
      </p>
      {!inbox.ok ? (
        <p role="status">Could not reach the emulator: {inbox.reason}</p>
      ) : inbox.sessions.length === 0 ? (
        <p>No codes yet. Ask for one on the sign-in page.</p>
      ) : (
        // Scrolls sideways on phones: focusable, so the keyboard can scroll it too, and named.
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="inbox-heading">
          <table>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">To</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
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
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const body: unknown = await response.json();
    const sessions = (body as { sessions?: unknown }).sessions;
    if (!Array.isArray(sessions)) return { ok: false, reason: 'unexpected response' };
    return { ok: true, sessions: sessions.filter(isSession) };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { ok: false, reason: timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : 'connection failed' };
  }
}

function isSession(value: unknown): value is EmulatorSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['session_uuid', 'recipient', 'channel', 'status', 'code', 'created_at'].every(
    (key) => typeof v[key] === 'string',
  );
}
