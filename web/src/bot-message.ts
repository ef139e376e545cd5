// Normalises what Rasa's socket.io channel emits as `bot_uttered` into one shape the widget renders.
//
// Rasa 3.6 sends, per response: one event per paragraph of text ({text} or {text, quick_replies} on the last
// one), then, if the response has `custom`, one event whose body is the custom payload's `data`, then
// {attachment}. We also accept {text, buttons} and {text, custom: {...}} in one event.

import { findPhoneNumbers, hasUrgentNumber } from "./phone-numbers";

export interface QuickReply {
  title: string;
  payload: string;
}

/** A number the server lists with its message (custom.numbers), with the `tel:` link it wants. */
export interface ListedNumber {
  name: string;
  number: string;
  tel: string;
}

export interface BotMessage {
  text: string;
  quickReplies: QuickReply[];
  /** `custom.kind` from the server, e.g. "crisis" or "summary"; null when absent. */
  kind: string | null;
  imageSrc: string | null;
  /** Numbers the server listed; their `tel:` values are used for the same numbers in the text. */
  numbers: ListedNumber[];
}

export type Normalised =
  | { type: "message"; message: BotMessage }
  /** A custom payload with a kind but nothing to show: it marks the bot messages of the current turn. */
  | { type: "marker"; kind: string; numbers: ListedNumber[] }
  | { type: "ignore" };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readButtons(v: unknown): QuickReply[] {
  if (!Array.isArray(v)) return [];
  const out: QuickReply[] = [];
  for (const b of v) {
    if (!isRecord(b)) continue;
    const title = typeof b.title === "string" ? b.title.trim() : "";
    const payload = typeof b.payload === "string" ? b.payload : title;
    if (title && payload) out.push({ title, payload });
  }
  return out;
}

function readKind(v: unknown): string | null {
  return typeof v === "string" && /^[a-z_-]{1,40}$/.test(v) ? v : null;
}

function readNumbers(v: unknown): ListedNumber[] {
  if (!Array.isArray(v)) return [];
  const out: ListedNumber[] = [];
  for (const n of v) {
    if (!isRecord(n) || typeof n.number !== "string" || !/^[\d +]{3,20}$/.test(n.number)) continue;
    const tel = typeof n.tel === "string" && /^tel:\+?\d{3,15}$/.test(n.tel) ? n.tel : `tel:${n.number.replace(/[^\d+]/g, "")}`;
    out.push({ name: typeof n.name === "string" ? n.name : "", number: n.number, tel });
  }
  return out;
}

function readImage(v: unknown): string | null {
  if (!isRecord(v) || v.type !== "image" || !isRecord(v.payload)) return null;
  const src = v.payload.src;
  return typeof src === "string" && /^https?:\/\//.test(src) ? src : null;
}

export function normaliseBotPayload(raw: unknown): Normalised {
  if (typeof raw === "string") {
    return raw.trim()
      ? { type: "message", message: { text: raw, quickReplies: [], kind: null, imageSrc: null, numbers: [] } }
      : { type: "ignore" };
  }
  if (!isRecord(raw)) return { type: "ignore" };
  const custom = isRecord(raw.custom) ? raw.custom : null;
  const text = typeof raw.text === "string" ? raw.text : custom && typeof custom.text === "string" ? custom.text : "";
  const quickReplies = readButtons(raw.quick_replies ?? raw.buttons ?? custom?.buttons ?? custom?.quick_replies);
  const kind = readKind(custom?.kind ?? raw.kind);
  const imageSrc = readImage(raw.attachment);
  const numbers = readNumbers(custom?.numbers ?? raw.numbers);
  if (!text.trim() && !quickReplies.length && !imageSrc) {
    return kind ? { type: "marker", kind, numbers } : { type: "ignore" };
  }
  return { type: "message", message: { text, quickReplies, kind, imageSrc, numbers } };
}

/** `tel:` lookup by national digits for the numbers the server listed. */
export function telLookup(numbers: ListedNumber[]): (digits: string) => string | undefined {
  const byDigits = new Map(numbers.map((n) => [n.number.replace(/\D/g, "").replace(/^47(?=\d{8}$)/, ""), n.tel]));
  return (digits) => byDigits.get(digits.replace(/\D/g, ""));
}

/** Listed numbers that the text itself does not contain (shown under the text, so none is lost). */
export function numbersMissingFromText(text: string, numbers: ListedNumber[]): ListedNumber[] {
  const inText = new Set(findPhoneNumbers(text).map((m) => m.tel.replace(/^\+47/, "")));
  return numbers.filter((n) => !inText.has(n.number.replace(/\D/g, "").replace(/^47(?=\d{8}$)/, "")));
}

/** Crisis replies are shown as an alert: when the server says so, or, without a kind, when they name an
 * emergency or 116 helpline number. An explicit other kind (e.g. "welcome") turns the guess off. */
export function isCrisis(m: Pick<BotMessage, "kind" | "text">): boolean {
  if (m.kind) return m.kind === "crisis";
  return hasUrgentNumber(m.text);
}
