// WCAG 2.1 contrast maths for the kommune's `theme-color`. A kommune may give a brand colour that is too
// light for white text; we then darken it (same hue) until it passes, instead of shipping an inaccessible widget.

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** Minimum ratio for normal text (1.4.3 AA). Also covers the 3:1 needed for controls (1.4.11). */
export const TEXT_CONTRAST = 4.5;

/** Parses `#rgb`, `#rrggbb` and `rgb(r, g, b)`; returns null for anything else. */
export function parseColor(input: string | null | undefined): Rgb | null {
  if (!input) return null;
  const value = input.trim().toLowerCase();
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(value);
  if (m) {
    return { r: parseInt(m[1] + m[1], 16), g: parseInt(m[2] + m[2], 16), b: parseInt(m[3] + m[3], 16) };
  }
  m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(value);
  if (m) return { r: parseInt(m[1], 16), g: parseInt(m[2], 16), b: parseInt(m[3], 16) };
  m = /^rgb\(\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*\)$/.exec(value);
  if (m) {
    const [r, g, b] = [m[1], m[2], m[3]].map(Number);
    if ([r, g, b].every((c) => c <= 255)) return { r, g, b };
  }
  return null;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
}

/** Relative luminance as defined by WCAG 2.1. */
export function relativeLuminance(c: Rgb): number {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** Contrast ratio between two colours, from 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Mixes the colour with black; amount 0 keeps it, 1 gives black. */
export function darken(c: Rgb, amount: number): Rgb {
  const k = 1 - Math.min(1, Math.max(0, amount));
  return { r: Math.round(c.r * k), g: Math.round(c.g * k), b: Math.round(c.b * k) };
}

/** The given colour if it reaches `min` against `against`, else the lightest darker shade that does. */
export function accessibleShade(c: Rgb, against: Rgb = WHITE, min: number = TEXT_CONTRAST): Rgb {
  for (let step = 0; step <= 100; step += 1) {
    const shade = darken(c, step / 100);
    if (contrastRatio(shade, against) >= min) return shade;
  }
  return { r: 0, g: 0, b: 0 };
}

export function toHex(c: Rgb): string {
  return "#" + [c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, "0")).join("");
}

/** Mixes the colour with white; amount 0 keeps it, 1 gives white. */
export function lighten(c: Rgb, amount: number): Rgb {
  const k = Math.min(1, Math.max(0, amount));
  const mix = (v: number) => Math.round(v + (255 - v) * k);
  return { r: mix(c.r), g: mix(c.g), b: mix(c.b) };
}

/** The tinted grey behind the assistant's messages (Designsystemet neutral background-tinted). Accent text
 * must reach 4.5:1 on it, so on white as well. */
export const BUBBLE_BACKGROUND: Rgb = { r: 0xf3, g: 0xf3, b: 0xf4 };

/** Designsystemet accent tokens (`--ds-color-accent-<name>`) derived from the kommune's colour. */
export interface Palette {
  tokens: Record<string, string>;
  /** The colour used for buttons and accent text, after any darkening. */
  base: string;
  /** True when the given colour failed and was darkened. */
  adjusted: boolean;
}

/** Builds the accent palette from a `theme-color` value; null when the value is not a colour we read. */
export function paletteFor(themeColor: string | null | undefined): Palette | null {
  const given = parseColor(themeColor);
  if (!given) return null;
  const base = accessibleShade(given, BUBBLE_BACKGROUND);
  const hex = toHex(base);
  return {
    base: hex,
    adjusted: hex !== toHex(given),
    tokens: {
      "base-default": hex,
      "base-hover": toHex(darken(base, 0.15)),
      "base-active": toHex(darken(base, 0.3)),
      "base-contrast-default": "#ffffff",
      "base-contrast-subtle": toHex(lighten(base, 0.85)),
      "text-subtle": hex,
      "text-default": toHex(darken(base, 0.55)),
      "border-strong": hex,
      "border-default": hex,
      "border-subtle": toHex(lighten(base, 0.6)),
      "background-tinted": toHex(lighten(base, 0.94)),
      "surface-tinted": toHex(lighten(base, 0.88)),
      "surface-hover": toHex(lighten(base, 0.8)),
      "surface-active": toHex(lighten(base, 0.7)),
    },
  };
}
