// The widget's behaviour in a conversation, against the fake Rasa server.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import {
  botMessages,
  eventsFor,
  gotoWidget,
  input,
  log,
  openWidget,
  say,
  sessionId,
  userMessages,
  focusedInWidget,
} from "./helpers";

/** The verified numbers the fake server puts in its crisis answer (content/helplines.yml). */
function helpline(id: string): string {
  const yml = readFileSync(new URL("../../../content/helplines.yml", import.meta.url), "utf8");
  const m = new RegExp(`- id: ${id}\\n(?:.*\\n)*?\\s+number: "([^"]+)"`).exec(yml);
  if (!m) throw new Error(`no ${id} in helplines.yml`);
  return m[1];
}
const tel = (n: string) => `tel:${n.replace(/\s/g, "")}`;

test.describe("conversation", () => {
  test.beforeEach(async ({ page }) => {
    await gotoWidget(page, { kommune: "9999", mode: "ansatt" });
  });

  test("sends the message with the session id, kommune and mode; shows both sides with sender labels", async ({ page }) => {
    await openWidget(page);
    await say(page, "hei");
    await expect(userMessages(page)).toHaveText(["Du sa: hei"]);
    await expect(botMessages(page).first()).toContainText("Assistenten sa: Hei. Jeg er en automatisk assistent.");
    await expect(input(page)).toHaveValue("");
    await expect(input(page)).toBeFocused();

    const id = await sessionId(page);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const events = await eventsFor(page, id!);
    expect(events[0]).toEqual({ event: "session_request", data: { session_id: id } });
    const sent = events.find((e) => e.event === "user_uttered")!;
    expect(sent.data).toEqual({
      message: "hei",
      session_id: id,
      customData: { kommune: "9999", mode: "ansatt" },
      metadata: { kommune: "9999", mode: "ansatt" },
    });
    // The title says who the widget is for.
    await expect(page.getByRole("heading", { name: "Samtalestøtte for ansatte" })).toBeVisible();
  });

  test("an invalid kommunenummer or mode is not passed on", async ({ page }) => {
    await gotoWidget(page, { kommune: "12<b>", mode: "admin" });
    await openWidget(page);
    await say(page, "hei");
    await expect(botMessages(page)).toHaveCount(1);
    const sent = (await eventsFor(page, (await sessionId(page))!)).find((e) => e.event === "user_uttered")!;
    expect(sent.data.customData).toEqual({ kommune: null, mode: "innbygger" });
    await expect(page.getByRole("heading", { name: "Samtalestøtte", exact: true })).toBeVisible();
  });

  test("keeps the session and transcript for the tab (sessionStorage, not localStorage)", async ({ page }) => {
    await openWidget(page);
    await say(page, "hei");
    await expect(botMessages(page)).toHaveCount(1);
    const id = await sessionId(page);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);

    await page.reload();
    await openWidget(page);
    await expect(userMessages(page)).toHaveText(["Du sa: hei"]);
    await expect(botMessages(page)).toHaveCount(1);
    await say(page, "igjen");
    await expect(botMessages(page).last()).toContainText("Du skrev: igjen");
    expect(await sessionId(page)).toBe(id);
    const requests = (await eventsFor(page, id!)).filter((e) => e.event === "session_request");
    expect(requests.length).toBe(2); // one per page load, same id

    // A new tab is a new session.
    const other = await page.context().newPage();
    await gotoWidget(other);
    await openWidget(other);
    await say(other, "hei");
    await expect(botMessages(other)).toHaveCount(1);
    expect(await sessionId(other)).not.toBe(id);
  });

  test("Enter sends, Shift+Enter makes a new line, empty messages are not sent", async ({ page }) => {
    await openWidget(page);
    await page.keyboard.press("Enter");
    await page.keyboard.type("   ");
    await page.keyboard.press("Enter");
    await page.keyboard.type("linje én");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("linje to");
    await expect(input(page)).toHaveValue("   linje én\nlinje to");
    await expect(userMessages(page)).toHaveCount(0);
    await page.keyboard.press("Enter");
    await expect(userMessages(page)).toHaveCount(1);
    await expect(userMessages(page).first()).toHaveText("Du sa: linje én\nlinje to");
    await expect(botMessages(page)).toHaveCount(1);
    const sent = (await eventsFor(page, (await sessionId(page))!)).filter((e) => e.event === "user_uttered");
    expect(sent.map((e) => e.data.message)).toEqual(["linje én\nlinje to"]);
  });

  test("long input is limited to 2000 characters with a visible counter", async ({ page }) => {
    await openWidget(page);
    await expect(page.locator("samtale-chat #counter")).toHaveText("0 av 2000 tegn");
    await input(page).fill("a".repeat(2500));
    await expect(input(page)).toHaveValue("a".repeat(2000));
    await expect(page.locator("samtale-chat #counter")).toHaveText("2000 av 2000 tegn");
    await expect(page.getByRole("status").filter({ hasText: "kan ikke være lengre enn 2000 tegn" })).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(botMessages(page)).toHaveCount(1);
    const sent = (await eventsFor(page, (await sessionId(page))!)).find((e) => e.event === "user_uttered")!;
    expect(sent.data.message!.length).toBe(2000);
  });

  test("typing indicator is a status message while waiting", async ({ page }) => {
    await openWidget(page);
    const typing = page.locator("samtale-chat .typing[role=status]");
    await expect(typing).toHaveCount(1);
    await say(page, "stille");
    await expect(typing).toHaveText("Assistenten skriver …");
    await say(page, "hei");
    await expect(botMessages(page)).toHaveCount(1);
    await expect(typing).toHaveText("");
  });

  test("quick replies send the payload and show the title", async ({ page }) => {
    await openWidget(page);
    await say(page, "hei");
    const group = page.getByRole("group", { name: "Svarforslag" });
    await expect(group.getByRole("button")).toHaveText(["Hva er et livstestament?", "Forhåndssamtale"]);
    await group.getByRole("button", { name: "Hva er et livstestament?" }).click();
    await expect(userMessages(page).last()).toHaveText("Du sa: Hva er et livstestament?");
    await expect(group).toHaveCount(0); // answered: the old suggestions go away
    await expect(input(page)).toBeFocused();
    const reply = botMessages(page).last();
    await expect(reply.locator("li")).toHaveText(["behandling", "omsorg"]);
    await expect(reply.locator("br")).toHaveCount(1);
    const sent = (await eventsFor(page, (await sessionId(page))!)).filter((e) => e.event === "user_uttered");
    expect(sent.map((e) => e.data.message)).toEqual(["hei", "/faq_livstestament"]);
  });

  test("crisis reply (custom kind) is an alert with tel: links for the numbers in the message", async ({ page }) => {
    await openWidget(page);
    await say(page, "krise");
    const alert = page.locator("samtale-chat .msg--bot[role=alert]");
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText("Du trenger ikke å bære det alene.");
    const links = alert.getByRole("link");
    await expect(links).toHaveText([helpline("mental_helse"), helpline("kirkens_sos"), helpline("emergency_medical")]);
    // The server's own tel: values (custom.numbers; +47 for 8-digit numbers in the fake) are used.
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      tel(helpline("mental_helse")),
      tel(`+47${helpline("kirkens_sos")}`),
      tel(helpline("emergency_medical")),
    ]);
    await expect(input(page)).toBeFocused(); // the alert is announced, focus is not moved
  });

  test("crisis reply as Rasa 3.6 emits it (text parts, then the custom data) becomes one alert", async ({ page }) => {
    await openWidget(page);
    await say(page, "krise rasa");
    const alert = page.locator("samtale-chat .msg--bot[role=alert]");
    await expect(alert).toHaveCount(1);
    await expect(alert.getByRole("link")).toHaveCount(3);
    // Without numbers from the server, the widget makes the tel: links from the text.
    await expect(alert.getByRole("link", { name: helpline("kirkens_sos") })).toHaveAttribute("href", tel(helpline("kirkens_sos")));
    await expect(botMessages(page)).toHaveCount(1);
    await expect(alert.locator("p")).toHaveCount(3);
  });

  test("a helpline number without a kind is treated as crisis; an explicit other kind is not", async ({ page }) => {
    await openWidget(page);
    await say(page, "nummer");
    await expect(page.locator("samtale-chat .msg--bot[role=alert]")).toHaveCount(1);
    await say(page, "velkommen");
    await expect(botMessages(page)).toHaveCount(2);
    const welcome = botMessages(page).last();
    await expect(welcome).not.toHaveAttribute("role", "alert");
    await expect(welcome.getByRole("link", { name: helpline("emergency_medical") })).toHaveAttribute(
      "href",
      tel(helpline("emergency_medical")),
    );
  });

  test("server text is shown as text, never as HTML", async ({ page }) => {
    await openWidget(page);
    await say(page, "html");
    const reply = botMessages(page).last();
    await expect(reply).toContainText('<img src=x onerror="window.__xss=1"> <b>fet</b> <script>');
    await expect(reply.locator("img, b, script")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test("«Slett samtalen» asks, sends /delete_conversation, clears the transcript and the session id", async ({ page }) => {
    await openWidget(page);
    await say(page, "hei");
    await expect(botMessages(page)).toHaveCount(1);
    const oldId = await sessionId(page);

    await page.getByRole("button", { name: "Slett samtalen" }).click();
    await expect(page.getByRole("group", { name: "Vil du slette hele samtalen?" })).toBeVisible();
    await page.getByRole("button", { name: "Avbryt" }).click();
    await expect(page.getByRole("button", { name: "Slett samtalen" })).toBeFocused();
    await expect(userMessages(page)).toHaveCount(1);

    await page.getByRole("button", { name: "Slett samtalen" }).click();
    await expect(page.getByRole("button", { name: "Ja, slett" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(userMessages(page)).toHaveCount(0);
    await expect(page.getByRole("status").filter({ hasText: "Samtalen er slettet fra denne nettleseren." })).toBeVisible();
    await expect(input(page)).toBeFocused();
    // The server's confirmation arrives in the fresh transcript.
    await expect(botMessages(page)).toHaveText(["Assistenten sa: Samtalen er slettet."]);

    const sent = (await eventsFor(page, oldId!)).filter((e) => e.event === "user_uttered");
    expect(sent.map((e) => e.data.message)).toEqual(["hei", "/delete_conversation"]);
    await expect.poll(() => sessionId(page)).not.toBe(oldId);
    expect(await page.evaluate(() => sessionStorage.getItem("samtale-chat:transcript"))).not.toContain("hei");

    await page.reload();
    await openWidget(page);
    await expect(userMessages(page)).toHaveCount(0);
  });

  for (const trigger of ["oppsummering", "oppsummering rasa"]) {
    test(`«Mine ønsker» summary can be printed and copied (${trigger})`, async ({ page, context }) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      await openWidget(page);
      await say(page, trigger);
      const actions = page.getByRole("group", { name: "Skriv ut / kopier" });
      await expect(actions).toBeVisible();

      await actions.getByRole("button", { name: "Kopier" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Teksten er kopiert." })).toBeVisible();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe("Mine ønsker\n- Jeg vil helst være hjemme den siste tiden.\n- Jeg vil at datteren min skal vite hva jeg ønsker.");
      await expect(actions.getByRole("button", { name: "Kopier" })).toBeFocused();

      await actions.getByRole("button", { name: "Skriv ut" }).click();
      const frame = page.frameLocator("#samtale-chat-print");
      await expect(frame.locator("h1")).toHaveText("Mine ønsker");
      await expect(frame.locator("li")).toHaveText([
        "Jeg vil helst være hjemme den siste tiden.",
        "Jeg vil at datteren min skal vite hva jeg ønsker.",
      ]);
      expect(await focusedInWidget(page)).toContain("print");
    });
  }

  test("new messages never move focus", async ({ page }) => {
    await openWidget(page);
    await say(page, "hei");
    await expect(botMessages(page)).toHaveCount(1);
    await log(page).focus();
    await say(page, "krise");
    await log(page).focus();
    await expect(page.locator("samtale-chat .msg--bot[role=alert]")).toHaveCount(1);
    await expect(log(page)).toBeFocused();
    // A late answer while the user is elsewhere on the page.
    await say(page, "vent");
    await page.getByRole("link", { name: "En lenke på siden" }).focus();
    await expect(botMessages(page).last()).toContainText("Sent svar");
    await expect(page.getByRole("link", { name: "En lenke på siden" })).toBeFocused();
  });

  test("says so when the server cannot be reached", async ({ page }) => {
    await gotoWidget(page, { "server-url": "http://127.0.0.1:9" });
    await openWidget(page);
    await expect(page.getByRole("status").filter({ hasText: "Får ikke kontakt med assistenten nå." })).toBeVisible({ timeout: 15_000 });
    await say(page, "hei");
    await expect(userMessages(page)).toHaveCount(1); // kept, sent when the connection comes back
  });
});
