// How long a person must wait (before a resend, after a rate limit): counted and put into words.
import type { Translate } from '@/lib/i18n/translate';

/** Whole seconds left until `deadline` (ms since epoch), never negative. */
export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** "27 s", "1 min 5 s", "2 min" (in the page's language). */
export function formatWait(totalSeconds: number, t: Translate): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  if (s < 60) return t('wait.seconds', { seconds: s });
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? t('wait.minutes', { minutes }) : t('wait.minutesSeconds', { minutes, seconds: rest });
}
