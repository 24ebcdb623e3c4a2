// GET …/Verify/Session/ : filters, the 24-hour / 90-day window and pagination (reference §5).
import { statusOf, SESSION_STATUSES, type Session, type SessionStatus } from './session-model';
import { stripPlus } from './wire-format';

export const MAX_LIMIT = 20;
const DAY_MS = 86_400_000;

type TimeOp = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';
const TIME_PARAMS: ReadonlyArray<readonly [string, TimeOp]> = [
  ['session_time', 'eq'],
  ['session_time__gt', 'gt'],
  ['session_time__gte', 'gte'],
  ['session_time__lt', 'lt'],
  ['session_time__lte', 'lte'],
];

/** A parsed time filter is a half-open interval [start, end) at the precision the caller wrote. */
interface TimeFilter {
  op: TimeOp;
  start: number;
  end: number;
}

export interface ListQuery {
  appUuid?: string;
  status?: SessionStatus;
  recipient?: string;
  times: TimeFilter[];
  limit: number;
  offset: number;
}

export type ParsedList = { ok: true; query: ListQuery } | { ok: false; error: string };

export function parseListQuery(params: URLSearchParams): ParsedList {
  const limit = parseInteger(params.get('limit'), MAX_LIMIT);
  if (limit === null || limit < 1 || limit > MAX_LIMIT) {
    return { ok: false, error: `limit must be an integer between 1 and ${MAX_LIMIT}` };
  }
  const offset = parseInteger(params.get('offset'), 0);
  if (offset === null || offset < 0) return { ok: false, error: 'offset must be a non-negative integer' };

  const status = params.get('status') ?? undefined;
  if (status !== undefined && !SESSION_STATUSES.includes(status as SessionStatus)) {
    return { ok: false, error: `status must be one of ${SESSION_STATUSES.join(', ')}` };
  }

  const times: TimeFilter[] = [];
  for (const [name, op] of TIME_PARAMS) {
    const raw = params.get(name);
    if (raw === null) continue;
    const interval = parseSessionTime(raw);
    if (!interval) return { ok: false, error: `${name} must look like YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)` };
    times.push({ op, ...interval });
  }

  return {
    ok: true,
    query: {
      appUuid: params.get('app_uuid') ?? undefined,
      status: status as SessionStatus | undefined,
      recipient: params.get('recipient') ?? undefined,
      times,
      limit,
      offset,
    },
  };
}

/**
 * Plivo only looks 24 hours back unless a session_time filter is given, and never more than 90
 * days (reference §5). Sessions come in newest first.
 */
export function filterSessions(newestFirst: Session[], query: ListQuery, now: number): Session[] {
  const windowStart = now - (query.times.length > 0 ? 90 : 1) * DAY_MS;
  return newestFirst.filter(
    (s) =>
      s.createdAt >= windowStart &&
      (query.appUuid === undefined || s.appUuid === query.appUuid) &&
      (query.status === undefined || statusOf(s, now) === query.status) &&
      (query.recipient === undefined || s.recipient === stripPlus(query.recipient)) &&
      query.times.every((t) => matchesTime(s.createdAt, t)),
  );
}

/** meta.next / meta.previous: relative URLs with the same filters, or null (as in the fixtures). */
export function pageLinks(
  authId: string,
  params: URLSearchParams,
  query: ListQuery,
  total: number,
): { next: string | null; previous: string | null } {
  const link = (offset: number): string => {
    const rest = new URLSearchParams(params);
    rest.delete('limit');
    rest.delete('offset');
    const tail = rest.toString();
    return `/v1/Account/${authId}/Verify/Session/?limit=${query.limit}&offset=${offset}${tail ? '&' + tail : ''}`;
  };
  return {
    next: query.offset + query.limit < total ? link(query.offset + query.limit) : null,
    previous: query.offset > 0 ? link(Math.max(0, query.offset - query.limit)) : null,
  };
}

function matchesTime(createdAt: number, t: TimeFilter): boolean {
  switch (t.op) {
    case 'eq':
      return createdAt >= t.start && createdAt < t.end;
    case 'gt':
      return createdAt >= t.end;
    case 'gte':
      return createdAt >= t.start;
    case 'lt':
      return createdAt < t.start;
    case 'lte':
      return createdAt < t.end;
  }
}

// "2024-05-01 10:20", "2024-05-01 10:20:30", "2024-05-01 10:20:30.123456"; a "T" and a trailing
// "Z" are tolerated as well. Always UTC.
const SESSION_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?Z?$/;

function parseSessionTime(raw: string): { start: number; end: number } | null {
  const m = SESSION_TIME.exec(raw.trim());
  if (!m) return null;
  const [, date, hm, sec, frac] = m;
  const start = Date.parse(`${date}T${hm}:${sec ?? '00'}Z`);
  if (Number.isNaN(start)) return null;
  if (sec === undefined) return { start, end: start + 60_000 };
  if (frac === undefined) return { start, end: start + 1_000 };
  const fractionMs = Number(`0.${frac}`) * 1000;
  return { start: start + fractionMs, end: start + fractionMs + 10 ** (3 - frac.length) };
}

function parseInteger(raw: string | null, fallback: number): number | null {
  if (raw === null || raw === '') return fallback;
  return /^-?\d+$/.test(raw) ? Number(raw) : null;
}
