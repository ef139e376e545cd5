// Shared steps for the component tests (widget + tests/fake-rasa.mjs).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
export const ARTIFACTS = "test-artifacts/screenshots";

export interface WidgetParams {
  "server-url"?: string;
  kommune?: string;
  mode?: string;
  "theme-color"?: string;
  "init-payload"?: string;
}

export async function gotoWidget(page: Page, params: WidgetParams = {}): Promise<void> {
  const query = new URLSearchParams({ kommune: "9999", ...params } as Record<string, string>);
  await page.goto(`/tests/pages/widget.html?${query}`);
  await expect(page.getByRole("button", { name: "Snakk med assistenten" })).toBeVisible();
}

export const launcher = (page: Page) => page.getByRole("button", { name: "Snakk med assistenten" });
export const input = (page: Page) => page.getByRole("textbox", { name: "Skriv meldingen din" });
export const log = (page: Page) => page.getByRole("log", { name: "Samtalen" });
export const botMessages = (page: Page) => page.locator("samtale-chat .msg--bot");
export const userMessages = (page: Page) => page.locator("samtale-chat .msg--user");

export async function openWidget(page: Page): Promise<void> {
  await launcher(page).click();
  await expect(input(page)).toBeFocused();
}

/** Types a message and presses Enter, as a user would. */
export async function say(page: Page, text: string): Promise<void> {
  await input(page).focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

/** Id of the element focused inside the widget's shadow root ("" when focus is outside the widget). */
export async function focusedInWidget(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector("samtale-chat");
    if (document.activeElement !== host || !host?.shadowRoot) return "";
    const el = host.shadowRoot.activeElement as HTMLElement | null;
    return el ? el.id || el.className || el.tagName : "";
  });
}

export async function sessionId(page: Page): Promise<string | null> {
  return page.evaluate(() => sessionStorage.getItem("samtale-chat:session-id"));
}

export interface RecordedEvent {
  event: "session_request" | "user_uttered";
  data: { message?: string; session_id?: string | null; customData?: Record<string, unknown>; metadata?: Record<string, unknown> };
}

/** What the fake server received for one session id. */
export async function eventsFor(page: Page, id: string): Promise<RecordedEvent[]> {
  const res = await page.request.get("/__events");
  const all = (await res.json()) as RecordedEvent[];
  return all.filter((e) => e.data?.session_id === id);
}

export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations (${label})`).toEqual([]);
  // The scan must have looked inside the widget, or zero violations would mean nothing.
  expect(result.passes.some((p) => p.nodes.some((n) => JSON.stringify(n.target).includes("samtale-chat"))), label).toBe(true);
}
