// The demo page: a fictional kommune's site that embeds the widget with one script tag.
import { expect, test } from "@playwright/test";
import { ARTIFACTS, expectNoAxeViolations, input, launcher } from "./helpers";

test.describe("demo page", () => {
  test("one script tag mounts the widget with its data- settings; the page says it is fictional", async ({ page }) => {
    await page.goto("/demo/");
    await expect(page.getByText("Fiktiv eksempelkommune")).toBeVisible();
    await expect(page.locator("script[src$='samtale-chat.js']")).toHaveCount(1);
    const widget = page.locator("samtale-chat");
    await expect(widget).toHaveCount(1);
    await expect(widget).toHaveAttribute("server-url", "http://localhost:5005");
    await expect(widget).toHaveAttribute("kommune", "9999");
    await expect(widget).toHaveAttribute("mode", "innbygger");
    await expect(widget).toHaveAttribute("theme-color", "#1b5e20");
    await expect(launcher(page)).toHaveCSS("background-color", "rgb(27, 94, 32)");
    await expectNoAxeViolations(page, "demo closed");
    await page.screenshot({ path: `${ARTIFACTS}/demo-desktop.png` });

    await launcher(page).click();
    await expect(input(page)).toBeFocused();
    await expectNoAxeViolations(page, "demo open");
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: `${ARTIFACTS}/demo-open-320.png` });
  });
});
