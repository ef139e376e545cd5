// Turns bot text into a small, safe structure (paragraphs, line breaks, "- " lists, phone numbers, web links)
// that is later built as DOM nodes. Server text is never parsed as HTML.

import { findPhoneNumbers } from "./phone-numbers";

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "strong"; inlines: Inline[] }
  | { kind: "break" }
  | { kind: "phone"; text: string; tel: string } // tel: the whole href, "tel:…"
  | { kind: "link"; text: string; href: string };

export type Block = { kind: "paragraph"; inlines: Inline[] } | { kind: "list"; items: Inline[][] };

const LIST_ITEM = /^\s*[-•*]\s+(.*)$/;
const URL = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
const STRONG = /\*\*([^*\n]+)\*\*/g;

/** Gives the `tel:` link for a number's digits, when the server listed one; else the widget makes its own. */
export type TelLookup = (digits: string) => string | undefined;

/** Splits text into paragraphs (blank line), lists (lines starting with "- ") and lines. */
export function parseBotText(text: string, telFor: TelLookup = () => undefined): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    let lines: string[] = [];
    let items: string[] = [];
    const flushLines = () => {
      if (lines.length) blocks.push({ kind: "paragraph", inlines: joinLines(lines, telFor) });
      lines = [];
    };
    const flushItems = () => {
      if (items.length) blocks.push({ kind: "list", items: items.map((i) => parseInline(i, telFor)) });
      items = [];
    };
    for (const raw of chunk.split("\n")) {
      const line = raw.trimEnd();
      if (!line.trim()) continue;
      const item = LIST_ITEM.exec(line);
      if (item) {
        flushLines();
        items.push(item[1]);
      } else {
        flushItems();
        lines.push(line.trim());
      }
    }
    flushLines();
    flushItems();
  }
  return blocks;
}

function joinLines(lines: string[], telFor: TelLookup): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ kind: "break" });
    out.push(...parseInline(line, telFor));
  });
  return out;
}

interface Span {
  start: number;
  end: number;
  inline: Inline;
}

/** Finds **bold**, web links and phone numbers in one line; everything else stays plain text. */
export function parseInline(line: string, telFor: TelLookup = () => undefined): Inline[] {
  const out: Inline[] = [];
  let pos = 0;
  for (const m of line.matchAll(STRONG)) {
    const start = m.index ?? 0;
    if (start > pos) out.push(...linksAndNumbers(line.slice(pos, start), telFor));
    out.push({ kind: "strong", inlines: linksAndNumbers(m[1], telFor) });
    pos = start + m[0].length;
  }
  if (pos < line.length) out.push(...linksAndNumbers(line.slice(pos), telFor));
  return out;
}

function linksAndNumbers(text: string, telFor: TelLookup): Inline[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(URL)) {
    const start = m.index ?? 0;
    spans.push({ start, end: start + m[0].length, inline: { kind: "link", text: m[0], href: m[0] } });
  }
  for (const p of findPhoneNumbers(text)) {
    // A number inside a web address stays part of the address.
    if (spans.every((x) => p.end <= x.start || p.start >= x.end)) {
      const tel = telFor(p.tel.replace(/^\+47/, "")) ?? `tel:${p.tel}`;
      spans.push({ start: p.start, end: p.end, inline: { kind: "phone", text: p.text, tel } });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const out: Inline[] = [];
  let pos = 0;
  for (const s of spans) {
    if (s.start > pos) out.push({ kind: "text", text: text.slice(pos, s.start) });
    out.push(s.inline);
    pos = s.end;
  }
  if (pos < text.length) out.push({ kind: "text", text: text.slice(pos) });
  return out;
}

/** Plain text of a message, for copying and printing. */
export function plainText(text: string): string {
  return text.replace(STRONG, "$1").replace(/\r\n?/g, "\n").trim();
}
