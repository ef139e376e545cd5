// Prints one text (the «Mine ønsker» summary) without the rest of the page: a hidden iframe holds only
// that text, built as DOM nodes, and is printed and removed.

import { parseBotText } from "./text-format";
import { renderBlocks } from "./render";

export const PRINT_FRAME_ID = "samtale-chat-print";

export function printText(title: string, text: string): void {
  document.getElementById(PRINT_FRAME_ID)?.remove();
  const frame = document.createElement("iframe");
  frame.id = PRINT_FRAME_ID;
  frame.title = title;
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.style.cssText = "position:fixed;width:0;height:0;border:0;left:-9999px;top:0;";
  document.body.append(frame);
  const win = frame.contentWindow;
  const doc = frame.contentDocument;
  if (!win || !doc) return;
  doc.documentElement.lang = "nb";
  doc.title = title;
  const style = doc.createElement("style");
  style.textContent = "body{font:12pt/1.5 system-ui,Arial,sans-serif;margin:2cm;color:#000}h1{font-size:16pt}";
  doc.head.append(style);
  const h1 = doc.createElement("h1");
  h1.textContent = title;
  doc.body.append(h1, renderBlocks(doc, parseBotText(text)));
  win.focus();
  win.print();
  // Keep the frame until printing is done; the next print replaces it.
  win.addEventListener("afterprint", () => setTimeout(() => frame.remove(), 0));
}

/** Copies text to the clipboard; falls back to a selection copy where the Clipboard API is not allowed. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the older way */
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.cssText = "position:fixed;left:-9999px;top:0;";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
