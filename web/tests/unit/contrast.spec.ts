import { expect, test } from "@playwright/test";
import { BUBBLE_BACKGROUND, WHITE, accessibleShade, contrastRatio, paletteFor, parseColor, toHex } from "../../src/contrast";

test.describe("contrast", () => {
  test("parses hex and rgb colours, rejects the rest", () => {
    expect(parseColor("#fff")).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseColor(" #1B5E20 ")).toEqual({ r: 27, g: 94, b: 32 });
    expect(parseColor("rgb(0, 98, 186)")).toEqual({ r: 0, g: 98, b: 186 });
    for (const bad of ["", "red", "#12", "#gggggg", "rgb(300,0,0)", "url(x)", null]) {
      expect(parseColor(bad)).toBeNull();
    }
  });

  test("computes WCAG ratios", () => {
    expect(contrastRatio(WHITE, { r: 0, g: 0, b: 0 })).toBeCloseTo(21, 5);
    expect(contrastRatio(WHITE, WHITE)).toBeCloseTo(1, 5);
    // #767676 is the well-known lightest grey that passes 4.5:1 on white; #777777 fails.
    expect(contrastRatio(parseColor("#767676")!, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(parseColor("#777777")!, WHITE)).toBeLessThan(4.5);
  });

  test("keeps a colour that passes, darkens one that fails", () => {
    const dark = parseColor("#1b5e20")!;
    expect(toHex(accessibleShade(dark))).toBe("#1b5e20");
    const yellow = parseColor("#ffdd00")!;
    const shade = accessibleShade(yellow);
    expect(contrastRatio(shade, WHITE)).toBeGreaterThanOrEqual(4.5);
    // Darkened, not replaced: still a yellow-brown hue (red >= green > blue).
    expect(shade.r).toBeGreaterThanOrEqual(shade.g);
    expect(shade.g).toBeGreaterThan(shade.b);
  });

  test("palette for a failing theme colour reaches 4.5:1 on white and on the bubble grey", () => {
    for (const given of ["#ffdd00", "#8fd3ff", "#ff6f61", "#777777", "#00a859"]) {
      const palette = paletteFor(given)!;
      expect(palette.adjusted).toBe(true);
      const base = parseColor(palette.base)!;
      expect(contrastRatio(base, WHITE)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(base, BUBBLE_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(parseColor(palette.tokens["base-hover"])!, WHITE)).toBeGreaterThan(4.5);
      expect(contrastRatio(parseColor(palette.tokens["text-default"])!, parseColor(palette.tokens["surface-hover"])!)).toBeGreaterThanOrEqual(4.5);
    }
    const ok = paletteFor("#003366")!;
    expect(ok.adjusted).toBe(false);
    expect(ok.base).toBe("#003366");
    expect(paletteFor("not-a-colour")).toBeNull();
  });
});
