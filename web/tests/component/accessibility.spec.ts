// WCAG 2.1 AA checks of the widget: axe (open and closed), focus handling, keyboard, reflow, text size,
// text spacing and theme-colour contrast. Screenshots go to test-artifacts/screenshots/.
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  ARTIFACTS,
  botMessages,
  expectNoAxeViolations,
  focusedInWidget,
  gotoWidget,
  input,
  launcher,
  openWidget,
  say,
} from "./helpers";

async function haveConversation(page: Page): Promise<void> {
  await say(page, "hei");
  await expect(page.getByRole("group", { name: "Svarforslag" })).toBeVisible();
  await say(page, "oppsummering");
  await say(page, "krise");
  await expect(page.locator("samtale-chat .msg--bot[role=alert]")).toHaveCount(1);
  await say(page, "/faq_livstestament");
  await expect(botMessages(page)).toHaveCount(4);
}

/** Parses "rgb(r, g, b)" and returns the WCAG contrast ratio of two such colours. */
async function contrastOf(page: Page, fg: string, bg: string): Promise<number> {
  return page.evaluate(
    ([a, b]) => {
      const lum = (c: string) => {
        const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
      };
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    },
    [fg, bg],
  );
}

async function expectNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const sizes = await page.evaluate(() => {
    const panel = document.querySelector("samtale-chat")!.shadowRoot!.querySelector(".panel") as HTMLElement;
    const r = panel.getBoundingClientRect();
    return {
      pageScroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      panelLeft: r.left,
      panelRight: r.right,
      // Any element inside the panel wider than its own box (text that does not wrap) shows as overflow.
      overflowing: Array.from(panel.querySelectorAll<HTMLElement>("*"))
        .filter((el) => !el.classList.contains("ds-sr-only")) // visually hidden on purpose
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible")
        .map((el) => el.className || el.tagName),
      // Content that does not fit must be in a box the user can scroll, not cut off.
      clippedY: [panel, ...Array.from(panel.querySelectorAll<HTMLElement>("*"))]
        .filter((el) => !el.classList.contains("ds-sr-only"))
        .filter((el) => ["hidden", "clip"].includes(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 1)
        .map((el) => el.className || el.tagName),
      logScrollX: (panel.querySelector(".log") as HTMLElement).scrollWidth - (panel.querySelector(".log") as HTMLElement).clientWidth,
    };
  });
  expect(sizes.pageScroll, label).toBeLessThanOrEqual(sizes.viewport);
  expect(sizes.panelLeft, label).toBeGreaterThanOrEqual(0);
  expect(sizes.panelRight, label).toBeLessThanOrEqual(sizes.viewport);
  expect(sizes.overflowing, label).toEqual([]);
  expect(sizes.clippedY, label).toEqual([]);
  expect(sizes.logScrollX, label).toBeLessThanOrEqual(1);
}

/** After scrolling it into view, the element itself is what a pointer near its corners and at its centre hits
 * (not clipped by the panel, not covered by the launcher). */
async function reachable(locator: Locator): Promise<boolean> {
  await locator.scrollIntoViewIfNeeded();
  return locator.evaluate((el) => {
    const root = el.getRootNode() as ShadowRoot;
    const r = el.getBoundingClientRect();
    const points = [
      [r.left + r.width / 2, r.top + r.height / 2],
      [r.left + r.width * 0.1, r.top + r.height * 0.2],
      [r.right - r.width * 0.1, r.bottom - r.height * 0.2],
    ];
    return points.every(([x, y]) => {
      const hit = root.elementFromPoint(x, y);
      return hit === el || el.contains(hit);
    });
  });
}

test.describe("accessibility", () => {
  test("closed: a real launcher button, a log that already exists, Norwegian language, no axe violations", async ({ page }) => {
    await gotoWidget(page);
    const button = launcher(page);
    expect(await button.evaluate((el) => el.tagName)).toBe("BUTTON");
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(page.locator("samtale-chat")).toHaveAttribute("lang", "nb");
    expect(await page.locator("samtale-chat").evaluate((el) => el.shadowRoot!.querySelector(".root")!.getAttribute("lang"))).toBe("nb");
    // The live region is in the DOM before the first message, so the first answer is announced.
    const logs = page.locator("samtale-chat [role=log]");
    await expect(logs).toHaveCount(1);
    await expect(logs).toHaveAttribute("aria-label", "Samtalen");
    await expectNoAxeViolations(page, "closed");
    await page.screenshot({ path: `${ARTIFACTS}/closed-desktop.png` });
  });

  test("focus: into the field on open, back to the launcher on close and on Esc", async ({ page }) => {
    await gotoWidget(page);
    await launcher(page).click();
    await expect(launcher(page)).toHaveAttribute("aria-expanded", "true");
    await expect(input(page)).toBeFocused();
    // The status regions (typing indicator, notices) are rendered while still empty, so their first
    // update is announced.
    const statuses = page.locator("samtale-chat [role=status]");
    await expect(statuses).toHaveCount(2);
    for (const display of await statuses.evaluateAll((els) => els.map((el) => getComputedStyle(el).display))) {
      expect(display).not.toBe("none");
    }
    await page.keyboard.press("Escape");
    await expect(page.getByRole("log")).toBeHidden();
    await expect(launcher(page)).toHaveAttribute("aria-expanded", "false");
    await expect(launcher(page)).toBeFocused();

    await page.keyboard.press("Enter");
    await expect(input(page)).toBeFocused();
    await page.getByRole("button", { name: "Lukk samtalen" }).click();
    await expect(launcher(page)).toBeFocused();
    await expect(launcher(page)).toHaveAttribute("aria-expanded", "false");
  });

  test("a whole conversation by keyboard, with no trap", async ({ page }) => {
    await gotoWidget(page);
    await page.getByRole("link", { name: "En lenke på siden" }).focus();
    await page.keyboard.press("Tab");
    await expect(launcher(page)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(input(page)).toBeFocused();
    await page.keyboard.type("hei");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("group", { name: "Svarforslag" })).toBeVisible();

    // Back from the field to the suggestions, and choose one with the keyboard.
    await page.keyboard.press("Shift+Tab");
    await expect(page.getByRole("button", { name: "Forhåndssamtale" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("samtale-chat .msg--user").last()).toHaveText("Du sa: Forhåndssamtale");
    await expect(input(page)).toBeFocused();

    // Forward through the panel and out of the widget again.
    const seen: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press("Tab");
      const where = await focusedInWidget(page);
      if (!where) break;
      seen.push(where);
    }
    expect(seen).toContain("send ds-button");
    expect(seen).toContain("delete ds-button");
    expect(await focusedInWidget(page)).toBe(""); // focus left the widget: no trap
  });

  test("open with a conversation: no axe violations; desktop screenshot", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await gotoWidget(page);
    await openWidget(page);
    await expectNoAxeViolations(page, "open, empty");
    await haveConversation(page);
    await expectNoAxeViolations(page, "open, conversation");
    await page.screenshot({ path: `${ARTIFACTS}/open-desktop.png` });
  });

  test("reflow at 320 px: no horizontal scrolling; screenshot", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await gotoWidget(page);
    await page.screenshot({ path: `${ARTIFACTS}/closed-320.png` });
    await openWidget(page);
    await haveConversation(page);
    await expectNoHorizontalOverflow(page, "320 px");
    await expectNoAxeViolations(page, "320 px");
    await page.screenshot({ path: `${ARTIFACTS}/open-320.png` });
    // Full-screen panel hides the launcher; closing shows it again with focus on it.
    await page.keyboard.press("Escape");
    await expect(launcher(page)).toBeFocused();
  });

  test("text at 200 %: still fits and nothing is cut off", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await gotoWidget(page);
    await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
    await openWidget(page);
    await haveConversation(page);
    const fontSize = await input(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(32); // the text really grew
    await expectNoHorizontalOverflow(page, "200 % text");
    for (const name of ["Send", "Slett samtalen", "Lukk samtalen"]) {
      expect(await reachable(page.getByRole("button", { name, exact: true })), name).toBe(true);
    }
    expect(await reachable(input(page)), "textarea").toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/open-text-200.png` });
  });

  test("text-spacing overrides (WCAG 1.4.12) cut nothing off", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await gotoWidget(page);
    await openWidget(page);
    await haveConversation(page);
    const clipped = await page.evaluate(() => {
      const root = document.querySelector("samtale-chat")!.shadowRoot!;
      const style = document.createElement("style");
      style.textContent =
        "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }" +
        " p { margin-bottom: 2em !important; }";
      root.append(style);
      return Array.from(root.querySelectorAll<HTMLElement>("button, label, .msg, .meta span, .title, .subtitle"))
        .filter((el) => el.offsetParent !== null)
        .filter((el) => {
          const cs = getComputedStyle(el);
          const hides = (v: string) => v === "hidden" || v === "clip";
          return (
            (hides(cs.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
            (hides(cs.overflowY) && el.scrollHeight > el.clientHeight + 1)
          );
        })
        .map((el) => el.textContent);
    });
    expect(clipped).toEqual([]);
    await expectNoHorizontalOverflow(page, "text spacing");
    await page.screenshot({ path: `${ARTIFACTS}/open-text-spacing.png` });
  });

  for (const colour of ["#ffdd00", "#8fd3ff", "#e4002b", "#00205b"]) {
    test(`theme colour ${colour}: buttons and bubbles reach 4.5:1`, async ({ page }) => {
      await gotoWidget(page, { "theme-color": colour });
      const bg = await launcher(page).evaluate((el) => getComputedStyle(el).backgroundColor);
      const fg = await launcher(page).evaluate((el) => getComputedStyle(el).color);
      expect(await contrastOf(page, fg, bg)).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(page, "rgb(255, 255, 255)", bg)).toBeGreaterThanOrEqual(3); // against a white page
      await openWidget(page);
      await haveConversation(page);
      const bubble = page.locator("samtale-chat .msg--user").first();
      const [ubg, ufg] = await bubble.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
      expect(await contrastOf(page, ufg, ubg)).toBeGreaterThanOrEqual(4.5);
      await expectNoAxeViolations(page, colour);
    });
  }

  test("a failing theme colour is darkened; a passing one is kept", async ({ page }) => {
    await gotoWidget(page, { "theme-color": "#ffdd00" });
    const adjusted = await page.locator("samtale-chat").evaluate((el) => el.shadowRoot!.querySelector(".root")!.getAttribute("data-theme-adjusted"));
    expect(adjusted).toMatch(/^#[0-9a-f]{6}$/);
    expect(adjusted).not.toBe("#ffdd00");
    await gotoWidget(page, { "theme-color": "#00205b" });
    await expect(launcher(page)).toHaveCSS("background-color", "rgb(0, 32, 91)");
  });
});
