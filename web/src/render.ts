// Builds DOM nodes for messages. Only text nodes and a fixed set of elements; server text is never HTML.

import type { Block, Inline } from "./text-format";
import { TEXT } from "./strings";

function inlineNode(doc: Document, inline: Inline): Node {
  switch (inline.kind) {
    case "text":
      return doc.createTextNode(inline.text);
    case "strong": {
      const el = doc.createElement("strong");
      appendInlines(doc, el, inline.inlines);
      return el;
    }
    case "break":
      return doc.createElement("br");
    case "phone": {
      const a = doc.createElement("a");
      a.href = inline.tel;
      a.textContent = inline.text;
      return a;
    }
    case "link": {
      const a = doc.createElement("a");
      a.href = inline.href; // only http(s) URLs reach here (see text-format.ts)
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.append(inline.text);
      const hint = doc.createElement("span");
      hint.className = "ds-sr-only";
      hint.textContent = ` ${TEXT.newTab}`;
      a.append(hint);
      return a;
    }
  }
}

function appendInlines(doc: Document, parent: Element, inlines: Inline[]): void {
  for (const inline of inlines) parent.append(inlineNode(doc, inline));
}

export function renderBlocks(doc: Document, blocks: Block[]): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const block of blocks) {
    if (block.kind === "paragraph") {
      const p = doc.createElement("p");
      appendInlines(doc, p, block.inlines);
      frag.append(p);
    } else {
      const ul = doc.createElement("ul");
      for (const item of block.items) {
        const li = doc.createElement("li");
        appendInlines(doc, li, item);
        ul.append(li);
      }
      frag.append(ul);
    }
  }
  return frag;
}
