// End-to-end against the real assistant: runs only when SAMTALE_RASA_URL is set (e.g. http://localhost:5005,
// a `rasa run` with the socketio channel in credentials.yml). Checks the wiring, not the answers' wording.
import { expect, test } from "@playwright/test";
import { botMessages, expectNoAxeViolations, input, launcher, say, userMessages } from "../component/helpers";

const rasaUrl = process.env.SAMTALE_RASA_URL;

test.describe("against the running assistant", () => {
  test.skip(!rasaUrl, "set SAMTALE_RASA_URL to run against a real Rasa server");
  test.setTimeout(90_000);

  test.beforeEach(async ({ page }) => {
    await page.goto(`/tests/pages/widget.html?${new URLSearchParams({ "server-url": rasaUrl!, kommune: "9999" })}`);
  });

  test("open, say «hei», get an answer", async ({ page }) => {
    await launcher(page).click();
    await expect(input(page)).toBeFocused();
    await say(page, "hei");
    await expect(userMessages(page)).toHaveText(["Du sa: hei"]);
    await expect(botMessages(page).first()).toBeVisible({ timeout: 60_000 });
    await expect(botMessages(page).first()).toContainText(/Assistenten sa: \S/);
    expect(await page.evaluate(() => sessionStorage.getItem("samtale-chat:session-id"))).toMatch(/^[0-9a-f]{32}$/);
    await expectNoAxeViolations(page, "real answer");
  });

  test("a conversation by keyboard only", async ({ page }) => {
    await page.getByRole("link", { name: "En lenke på siden" }).focus();
    await page.keyboard.press("Tab");
    await expect(launcher(page)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(input(page)).toBeFocused();
    await page.keyboard.type("hei");
    await page.keyboard.press("Enter");
    await expect(botMessages(page).first()).toBeVisible({ timeout: 60_000 });
    await expect(input(page)).toBeFocused();

    const before = await botMessages(page).count();
    const suggestions = page.getByRole("group", { name: "Svarforslag" }).getByRole("button");
    if (await suggestions.count()) {
      // Choose the last suggestion with the keyboard: Shift+Tab from the field lands on it.
      await page.keyboard.press("Shift+Tab");
      await expect(suggestions.last()).toBeFocused();
      await page.keyboard.press("Enter");
    } else {
      await page.keyboard.type("hei igjen"); // a greeting gets an answer from any version of the assistant
      await page.keyboard.press("Enter");
    }
    await expect(userMessages(page)).toHaveCount(2);
    await expect.poll(() => botMessages(page).count(), { timeout: 60_000 }).toBeGreaterThan(before);

    await page.keyboard.press("Escape");
    await expect(launcher(page)).toBeFocused();
    await expect(launcher(page)).toHaveAttribute("aria-expanded", "false");
  });

  test("a crisis message is answered at once as an alert with tappable numbers", async ({ page }) => {
    await launcher(page).click();
    await say(page, "jeg orker ikke mer");
    const alert = page.locator("samtale-chat .msg--bot[role=alert]");
    await expect(alert.first()).toBeVisible({ timeout: 60_000 });
    const hrefs = await alert.first().getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    // The numbers come from the assistant's reply (content/helplines.yml), never from the widget.
    expect(hrefs).toEqual(expect.arrayContaining(["tel:116123", "tel:+4722400040", "tel:113"]));
    await expect(input(page)).toBeFocused();
  });

  test("«Slett samtalen» deletes on the server and in the tab", async ({ page }) => {
    await launcher(page).click();
    await say(page, "hei");
    await expect(botMessages(page).first()).toBeVisible({ timeout: 60_000 });
    const oldId = await page.evaluate(() => sessionStorage.getItem("samtale-chat:session-id"));
    await page.getByRole("button", { name: "Slett samtalen" }).click();
    await page.getByRole("button", { name: "Ja, slett" }).click();
    await expect(userMessages(page)).toHaveCount(0);
    // The server's own confirmation: the conversation is gone from the tracker store.
    await expect(botMessages(page).first()).toContainText("Samtalen er slettet", { timeout: 60_000 });
    expect(await page.evaluate(() => sessionStorage.getItem("samtale-chat:session-id"))).not.toBe(oldId);
  });

  test("the kommune from the page's metadata picks the local services", async ({ page }) => {
    await launcher(page).click();
    await say(page, "hvem kan hjelpe oss her i kommunen?");
    await expect(botMessages(page).filter({ hasText: "Eksempelvik" }).first()).toBeVisible({ timeout: 60_000 });
  });

  test("a kommune named in the conversation is recognised, and honesty where there is no directory", async ({ page }) => {
    await page.goto(`/tests/pages/widget.html?${new URLSearchParams({ "server-url": rasaUrl! })}`);
    await launcher(page).click();
    await say(page, "finnes det sorggrupper i Bodø?");
    await expect(botMessages(page).filter({ hasText: "ingen oversikt over tjenestene i Bodø" }).first()).toBeVisible({
      timeout: 60_000,
    });
  });
});
