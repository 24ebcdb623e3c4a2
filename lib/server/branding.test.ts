import { describe, expect, it } from 'vitest';

import { accentPalette, accentStyleSheet, contrastRatio, logoOrigin, MIN_TEXT_CONTRAST, parseHexColor } from './branding';

const LIGHT_SURFACE = '#ffffff';
const DARK_SURFACE = '#1a1a20';

describe('contrastRatio', () => {
  it('follows WCAG 2.1: black on white is 21, a colour on itself 1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1d4ed8', '#1d4ed8')).toBe(1);
    // WebAIM's checker: #767676 on white is the lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});

describe('accentPalette', () => {
  // Dark, light, mid-luminance (the hardest for black or white text) and saturated accents.
  const accents = ['#1d4ed8', '#000000', '#ffffff', '#ffff00', '#777777', '#808080', '#e11d48', '#22c55e', '#0ea5e9', '#7c3aed', '#f59e0b'];

  it.each(accents)('%s: button text, and the accent as text in both schemes, reach 4.5:1', (accent) => {
    const palette = accentPalette(accent);
    expect(contrastRatio(palette.onAccent, palette.accent)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(contrastRatio(palette.inkLight, LIGHT_SURFACE)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(contrastRatio(palette.inkDark, DARK_SURFACE)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
  });

  it('keeps an accent that already reads well, and puts the better of black or white on it', () => {
    expect(accentPalette('#1d4ed8')).toEqual({
      accent: '#1d4ed8',
      onAccent: '#ffffff',
      inkLight: '#1d4ed8',
      inkDark: expect.not.stringMatching(/^#1d4ed8$/),
    });
    expect(accentPalette('#ffff00').onAccent).toBe('#000000');
  });

  it('writes custom properties for both schemes, nothing else', () => {
    const css = accentStyleSheet('#ffff00');
    expect(css).toContain('--accent: #ffff00; --accent-fg: #000000;');
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\) \{ :root \{ .*--accent-ink: #ffff00; \} \}/);
    expect(css).not.toMatch(/[<>]/);
  });
});

describe('parseHexColor', () => {
  it('normalises short and upper-case forms and refuses the rest', () => {
    expect(parseHexColor('#1D4ED8')).toBe('#1d4ed8');
    expect(parseHexColor('#14b')).toBe('#1144bb');
    expect(parseHexColor('#1d4ed8ff')).toBeUndefined();
    expect(parseHexColor('red')).toBeUndefined();
  });
});

describe('logoOrigin', () => {
  it('is the https origin of a remote logo, nothing for a path on this site', () => {
    expect(logoOrigin('https://cdn.example.com:8443/brand/acme.svg?v=2')).toBe('https://cdn.example.com:8443');
    expect(logoOrigin('/logo.svg')).toBeUndefined();
    expect(logoOrigin(undefined)).toBeUndefined();
  });
});
