import 'server-only';

// What APP_NAME, APP_LOGO_URL and APP_ACCENT_COLOR change on the pages. Colours reach the pages as
// CSS custom properties in one nonced <style> block (the CSP refuses style attributes), so every
// rule in app/globals.css keeps reading var(--accent) and friends.

/** WCAG 2.1 AA for normal text (1.4.3). */
export const MIN_TEXT_CONTRAST = 4.5;

// The card surfaces of app/globals.css, light and dark: text in the accent colour sits on them.
const LIGHT_SURFACE = '#ffffff';
const DARK_SURFACE = '#1a1a20';
const BLACK = '#000000';
const WHITE = '#ffffff';

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits;
  return [0, 2, 4].map((start) => parseInt(full.slice(start, start + 2), 16)) as Rgb;
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.1 relative luminance of an sRGB colour. */
function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Normalises "#ABC" and "#AABBCC" to "#aabbcc"; undefined for anything else. */
export function parseHexColor(value: string): string | undefined {
  if (!/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value)) return undefined;
  return toHex(toRgb(value.toLowerCase()));
}

/** Black or white, whichever reads better on `background` (one of them always reaches 4.58:1). */
function textOn(background: string): string {
  return contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
}

/**
 * The accent moved towards black (light scheme) or white (dark scheme) in small steps until it
 * reads as text on that scheme's surface: links and outlined buttons are text in the accent.
 */
function inkOn(surface: string, accent: string): string {
  const target = toRgb(textOn(surface));
  const from = toRgb(accent);
  for (let step = 0; step <= 20; step += 1) {
    const mixed = toHex(from.map((channel, i) => channel + (target[i]! - channel) * (step / 20)) as Rgb);
    if (contrastRatio(mixed, surface) >= MIN_TEXT_CONTRAST) return mixed;
  }
  return toHex(target);
}

export type AccentPalette = {
  /** Filled buttons' background, both schemes. */
  accent: string;
  /** Text on filled buttons. */
  onAccent: string;
  /** Links and outlined buttons, light and dark scheme. */
  inkLight: string;
  inkDark: string;
};

export function accentPalette(accent: string): AccentPalette {
  return { accent, onAccent: textOn(accent), inkLight: inkOn(LIGHT_SURFACE, accent), inkDark: inkOn(DARK_SURFACE, accent) };
}

/** The custom properties that override app/globals.css's default accent, for a <style> block. */
export function accentStyleSheet(accent: string): string {
  const palette = accentPalette(accent);
  const shared = `--accent: ${palette.accent}; --accent-fg: ${palette.onAccent};`;
  return [
    `:root { ${shared} --accent-ink: ${palette.inkLight}; }`,
    `@media (prefers-color-scheme: dark) { :root { ${shared} --accent-ink: ${palette.inkDark}; } }`,
  ].join('\n');
}

/** A logo is an https URL or a path on this site (not "//host", which is another site). */
export function isLogoUrl(value: string): boolean {
  if (value.startsWith('/')) return !value.startsWith('//') && !value.startsWith('/\\');
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** The origin img-src must allow for the logo: none for a path on this site ('self' covers it). */
export function logoOrigin(logoUrl: string | undefined): string | undefined {
  return logoUrl && !logoUrl.startsWith('/') ? new URL(logoUrl).origin : undefined;
}
