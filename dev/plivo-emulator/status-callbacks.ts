// Verify status callbacks (reference §7): on every status change of an attempt or a session,
// Plivo calls the `url` given at create, form-encoded for POST, as a query string for GET, signed
// with the V2 signature. Fire-and-forget: a slow or broken receiver never delays an API answer,
// and failures are only logged. Each goes out when it is due (delivery.ts says when), never
// before the one queued ahead of it for the same session.
import { setTimeout as sleep } from 'node:timers/promises';

import { newNonce, signatureV2 } from './callback-signature';
import { formatTimestamp } from './wire-format';
import type { Attempt, Session, SessionStatus } from './session-model';

const CALLBACK_TIMEOUT_MS = 2_000;

export interface CallbackEvent {
  session: Session;
  attempt: Attempt;
  channelStatus: string;
  sessionStatus: SessionStatus;
  channelErrorCode?: string;
}

export class StatusCallbacks {
  // One chain per session, so a receiver sees a session's events in the order they happened.
  private readonly chains = new Map<string, Promise<void>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly authToken: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Sends the event `afterMs` from now (or once the session's earlier events are out). */
  notify(event: CallbackEvent, afterMs = 0): void {
    const target = event.session.callback;
    if (!target || this.closing.signal.aborted) return;
    const fields = callbackFields(event);
    const key = event.session.uuid;
    const due = performance.now() + afterMs;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => sleep(Math.max(0, due - performance.now()), undefined, { signal: this.closing.signal }))
      .then(
        () => this.send(target.url, target.method, fields),
        () => undefined, // closed while waiting: nothing more goes out
      );
    this.chains.set(key, next);
    // Drop finished chains so long dev runs do not accumulate them.
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  close(): void {
    this.closing.abort();
  }

  private async send(url: string, method: 'GET' | 'POST', fields: URLSearchParams): Promise<void> {
    const nonce = newNonce();
    const signature = signatureV2(url, nonce, this.authToken);
    const headers: Record<string, string> = {
      'X-Plivo-Signature-V2': signature,
      // Plivo also signs with the main account's token; the emulator has a single account.
      'X-Plivo-Signature-Ma-V2': signature,
      'X-Plivo-Signature-V2-Nonce': nonce,
      'User-Agent': 'PlivoVerifyEmulator',
    };
    let target = url;
    let body: string | undefined;
    if (method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = fields.toString();
    } else {
      const withQuery = new URL(url);
      for (const [k, v] of fields) withQuery.searchParams.append(k, v);
      target = withQuery.toString();
    }
    const what = `${fields.get('SessionStatus')}/${fields.get('ChannelStatus')} for session ${fields.get('SessionUUID')}`;
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(CALLBACK_TIMEOUT_MS), this.closing.signal]);
      const res = await fetch(target, { method, headers, body, signal });
      await res.body?.cancel();
      this.log(`callback ${method} ${new URL(url).origin} -> ${res.status} (${what})`);
    } catch (err) {
      if (this.closing.signal.aborted) return;
      this.log(`callback ${method} ${new URL(url).origin} failed: ${(err as Error).message} (${what})`);
    }
  }
}

function callbackFields({ session, attempt, channelStatus, sessionStatus, channelErrorCode }: CallbackEvent): URLSearchParams {
  return new URLSearchParams({
    SessionUUID: session.uuid,
    AttemptUUID: attempt.uuid,
    AttemptSequence: String(session.attempts.indexOf(attempt) + 1),
    Channel: attempt.channel,
    ChannelStatus: channelStatus,
    ChannelErrorCode: channelErrorCode ?? '',
    Recipient: session.recipient,
    RequestTime: formatTimestamp(attempt.createdAt),
    SessionStatus: sessionStatus,
    // Only the php SDK's docblock lists these four; harmless to send, useful to log.
    Locale: session.locale,
    Brandname: session.brandName,
    CodeLength: String(session.code.length),
    AppHash: session.appHash,
  });
}
