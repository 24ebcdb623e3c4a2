/**
 * The languages of an Accept-Language header, most preferred first, as parsed locales:
 * "fr-CA,fr;q=0.9,en-GB;q=0.8" -> ["fr-CA", "fr", "en-GB"]. Wildcards, q=0 and anything that is not
 * a BCP 47 tag are left out; only the first 20 entries are read (the header is the client's).
 */
export function preferredLocales(header: string | null | undefined): Intl.Locale[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .flatMap(({ tag }) => {
      try {
        return [new Intl.Locale(tag)];
      } catch {
        return []; // not a valid BCP 47 tag
      }
    });
}
