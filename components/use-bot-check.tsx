'use client';

import { useState } from 'react';
import { useTranslations } from 'next-intl';

import { postJson, type ApiResult } from '@/lib/api-client';

/**
 * Challenges one request solves at most: the first, and a fresh one should the breaker have
 * raised the level meanwhile (`bot_check_too_easy`); past that the refusal is shown.
 */
const MAX_SOLVES = 2;

/**
 * POSTs like postJson; when the server asks for the proof-of-work check (a `bot_check_*` error
 * carrying a challenge), loads the solver, solves it and sends the request again with the
 * solution. `progress` is the share solved while a check runs, else null.
 */
export function useBotCheck() {
  const [progress, setProgress] = useState<number | null>(null);
  const post = async <T,>(path: string, body: Record<string, unknown>): Promise<ApiResult<T>> => {
    let result = await postJson<T>(path, body);
    for (let solved = 0; solved < MAX_SOLVES; solved++) {
      const challenge = result.ok ? undefined : result.error.botCheck;
      if (!challenge) break;
      setProgress(0);
      const solution = await import('@/lib/bot-check-solver')
        .then(({ solveBotCheck }) => solveBotCheck(challenge, setProgress))
        .catch(() => undefined);
      setProgress(null);
      if (!solution) break;
      result = await postJson<T>(path, { ...body, botCheck: solution });
    }
    return result;
  };
  return { post, progress };
}

/**
 * While a check runs: one polite sentence (announced once, as it does not change) and a bar that
 * shows how far it is, which screen readers are not made to read out as it moves.
 */
export function BotCheckProgress({ progress }: { progress: number | null }) {
  const t = useTranslations('botCheck');
  return (
    <div role="status" className="bot-check">
      {progress !== null && (
        <>
          <span>{t('checking')}</span>
          <progress aria-hidden="true" max={1} value={progress} />
        </>
      )}
    </div>
  );
}
