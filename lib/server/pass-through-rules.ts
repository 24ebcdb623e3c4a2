import 'server-only';

import { parse, type IParseOptions } from 'qs';

// The pass-through's allow-list (DIRECTUS_PASS_THROUGH) and the path normalisation it matches on.
// Pure, so the hostile cases are unit-tested without a server.

export const PASS_THROUGH_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
export type PassThroughMethod = (typeof PASS_THROUGH_METHODS)[number];

/** One allowed method set and path pattern: literal segments, `*` for one segment, a last `*` for the rest. */
export type PassThroughRule = { methods: readonly PassThroughMethod[]; segments: readonly string[] };

// Nothing: on unlicensed Directus a member policy's read is every row of a collection (row filters
// are licence-gated), so each collection handed to browsers is the site's decision, by name.
export const DEFAULT_PASS_THROUGH = 'none';

const LITERAL = /^[A-Za-z0-9_~-][A-Za-z0-9_.~-]*$/;
// The sign-in's own routes are the app's business, whatever a rule says.
const RESERVED_FIRST_SEGMENTS = ['auth', 'sms-sign-in'];

/** Parses `METHOD[|METHOD] /path/*, …` (or `none`); throws a sentence naming what is wrong. */
export function parsePassThroughRules(value: string): PassThroughRule[] {
  if (value.trim().toLowerCase() === 'none') return [];
  return value
    .split(/[,\n]/)
    .map((rule) => rule.trim())
    .filter(Boolean)
    .map(parseRule);
}

function parseRule(text: string): PassThroughRule {
  const [methodList = '', pattern = '', ...rest] = text.split(/\s+/);
  const fail = (why: string) => new Error(`"${text}": ${why} (write rules as "GET|POST /items/notes/*", comma-separated, or "none")`);
  if (rest.length > 0 || !pattern) throw fail('a rule is a method list and a path');
  const methods = methodList.toUpperCase().split('|');
  if (!methods.every((method): method is PassThroughMethod => (PASS_THROUGH_METHODS as readonly string[]).includes(method))) {
    throw fail(`methods must be among ${PASS_THROUGH_METHODS.join(', ')}`);
  }
  if (!pattern.startsWith('/')) throw fail('the path must start with /');
  const segments = pattern.slice(1).split('/');
  if (!segments.every((segment) => segment === '*' || LITERAL.test(segment))) throw fail('path segments must be plain names or *');
  if (segments[0] === '*') throw fail('the first segment must be a name, such as items or assets');
  if (RESERVED_FIRST_SEGMENTS.includes(segments[0]!.toLowerCase())) throw fail(`/${segments[0]} is never passed through`);
  return { methods: [...new Set(methods)], segments };
}

/**
 * The path exactly as it will be sent to Directus, when `rawPath` (still percent-encoded, after
 * /api/directus) normalises to one an allowed rule matches; undefined otherwise. Normalising:
 * each segment is decoded once, so an encoded slash separates segments like a slash; `.`, `..`
 * and empty segments (double slashes) are resolved; a rule's names match in any case and are
 * sent as the rule spells them; other segments are sent re-encoded, so Directus sees exactly what
 * was matched.
 */
export function matchPassThrough(rules: readonly PassThroughRule[], method: string, rawPath: string): string | undefined {
  const segments = normalisePath(rawPath);
  if (!segments) return undefined;
  // HEAD is GET without the body.
  const asMethod = method === 'HEAD' ? 'GET' : method;
  for (const rule of rules) {
    if (!(rule.methods as readonly string[]).includes(asMethod)) continue;
    const matched = matchSegments(rule.segments, segments);
    if (matched) return `/${matched.join('/')}`;
  }
  return undefined;
}

/** The decoded, resolved segments of a path, or undefined for one that cannot be read safely. */
export function normalisePath(rawPath: string): string[] | undefined {
  if (/[\\\0-\x1f\x7f]/.test(rawPath)) return undefined;
  let decoded: string[];
  try {
    decoded = rawPath.split('/').flatMap((piece) => decodeURIComponent(piece).split('/'));
  } catch {
    return undefined; // malformed percent-encoding
  }
  const resolved: string[] = [];
  for (const segment of decoded) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (resolved.pop() === undefined) return undefined; // above the root
      continue;
    }
    // Decoded once more by whoever reads it next, or a query or fragment smuggled into the path.
    if (/[\\\0-\x1f\x7f?#%]/.test(segment)) return undefined;
    resolved.push(segment);
  }
  return resolved;
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): string[] | undefined {
  const restWildcard = pattern.at(-1) === '*';
  if (restWildcard ? segments.length < pattern.length : segments.length !== pattern.length) return undefined;
  const out: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const expected = pattern[Math.min(i, pattern.length - 1)]!;
    if (i >= pattern.length || expected === '*') out.push(encodeURIComponent(segment));
    else if (expected.toLowerCase() === segment.toLowerCase()) out.push(expected);
    else return undefined;
  }
  return out;
}

// How Directus reads a query string: express's query parser is qs (the version Directus ships),
// with depth QUERYSTRING_MAX_PARSE_DEPTH (default 10, a site may change it). qs decodes a key
// before it looks for brackets, and a key that starts with a bracket group takes that group's name,
// so `%5Baccess_token%5D=T` is access_token to Directus. The depth changes what survives: qs drops
// a key whose parsed groups reach `__proto__`, but at depth 1 the later groups stay one literal
// piece, so `access_token[][__proto__]` is nothing at depth 10 and access_token at depth 1. A
// parameter is dropped when any depth (0, 1, or more than it has groups) reads it as the credential;
// and with allowDots too (which Directus does not set), under which `access_token.x` would be
// access_token[x], so a Directus that turns it on finds no credential either.
const DIRECTUS_QUERY_READINGS: readonly IParseOptions[] = [0, 1, 10].flatMap((depth) => [{ depth }, { depth, allowDots: true }]);

/**
 * The query to send on: the browser's parameters byte for byte (as URL#search gives them), without
 * any that Directus would read as `access_token`, its credential in a query. The credential is the
 * person's alone. Each `&`-separated parameter is judged alone, as qs parses it (qs's own
 * splitting), so one past qs's parameter limit or depth is dropped as surely as the first.
 */
export function passThroughQuery(search: string): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((parameter) => !DIRECTUS_QUERY_READINGS.some((reading) => Object.keys(parse(parameter, reading)).some(isCredentialName)));
  const query = kept.join('&');
  return query ? `?${query}` : '';
}

// Directus reads only the lower-case name; other cases are dropped too, as nobody means them.
function isCredentialName(name: string): boolean {
  return name.toLowerCase() === 'access_token';
}
