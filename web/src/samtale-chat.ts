// <samtale-chat>: the chat widget a kommune embeds with one script tag.
//
//   <script src="samtale-chat.js" defer></script>
//   <samtale-chat server-url="https://rasa.example" kommune="9999" mode="innbygger" theme-color="#005aa0">
//   </samtale-chat>
//
// (If the element is missing, the script adds one to <body> itself, configured from the script tag's own
// data-* attributes; see autoMount below.)

import {
  isCrisis,
  normaliseBotPayload,
  numbersMissingFromText,
  telLookup,
  type BotMessage,
  type ListedNumber,
  type QuickReply,
} from "./bot-message";
import { paletteFor } from "./contrast";
import { copyText, printText } from "./print";
import { renderBlocks } from "./render";
import {
  clearConversation,
  loadSessionId,
  loadTranscript,
  newSessionId,
  saveSessionId,
  saveTranscript,
  type StoredMessage,
} from "./session-store";
import { TEXT } from "./strings";
import { STYLES } from "./styles";
import { parseBotText, plainText } from "./text-format";
import { RasaTransport, type ConnectionState } from "./transport";

export const MAX_LENGTH = 2000;
export const DELETE_COMMAND = "/delete_conversation";
const MODES = ["innbygger", "ansatt"] as const;
type Mode = (typeof MODES)[number];
/** How long the typing indicator waits for an answer before it gives up quietly. */
const TYPING_TIMEOUT_MS = 30000;

const CHAT_ICON =
  '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A2.5 2.5 0 0 1 4 13.5z"/></svg>';

/** The widget's fixed markup. Static: nothing from the server or the page goes in here. */
const TEMPLATE = `
<div class="root" data-color-scheme="light" lang="nb">
  <button type="button" class="launcher ds-button" data-variant="primary" aria-expanded="false" aria-controls="panel">
    ${CHAT_ICON}<span>${TEXT.launcher}</span>
  </button>
  <section id="panel" class="panel" aria-labelledby="title" hidden>
    <header class="header">
      <div>
        <h2 id="title" class="title">${TEXT.title}</h2>
        <p class="subtitle">${TEXT.subtitle}</p>
      </div>
      <button type="button" class="close ds-button" data-variant="tertiary" data-size="sm" aria-label="${TEXT.closeLabel}">${TEXT.close}</button>
    </header>
    <div class="log" role="log" aria-label="${TEXT.transcriptLabel}" tabindex="0"></div>
    <div class="status typing" role="status"></div>
    <div class="notice" role="status"></div>
    <form class="composer" novalidate>
      <label class="ds-label" for="input">${TEXT.inputLabel}</label>
      <div class="composer-row">
        <textarea id="input" class="ds-input" rows="2" maxlength="${MAX_LENGTH}" aria-describedby="hint counter"></textarea>
        <button type="submit" class="send ds-button" data-variant="primary">${TEXT.send}</button>
      </div>
      <div class="meta"><span id="hint">${TEXT.inputHint}</span><span id="counter">${TEXT.counter(0, MAX_LENGTH)}</span></div>
    </form>
    <div class="footer">
      <button type="button" class="delete ds-button" data-variant="tertiary" data-size="sm">${TEXT.delete}</button>
      <div class="confirm" role="group" aria-labelledby="confirm-text" hidden>
        <p id="confirm-text">${TEXT.deleteConfirm}</p>
        <button type="button" class="confirm-yes ds-button" data-variant="secondary" data-size="sm">${TEXT.deleteYes}</button>
        <button type="button" class="confirm-no ds-button" data-variant="tertiary" data-size="sm">${TEXT.deleteNo}</button>
      </div>
    </div>
  </section>
</div>`;

function must<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`samtale-chat: missing ${selector}`);
  return el;
}

export class SamtaleChat extends HTMLElement {
  static get observedAttributes(): string[] {
    return ["server-url", "kommune", "mode", "theme-color", "socket-path"];
  }

  private readonly shadow: ShadowRoot;
  private readonly rootEl: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly counter: HTMLElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly confirm: HTMLElement;

  private transport: RasaTransport | null = null;
  private sessionId: string;
  private transcript: StoredMessage[];
  /** Bot message elements since the user last wrote: a kind-only marker from the server applies to these. */
  private turn: Array<{ el: HTMLElement; text: string }> = [];
  private typingTimer: number | undefined;
  private initSent = false;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLES;
    const holder = document.createElement("template");
    holder.innerHTML = TEMPLATE; // our own static template only
    this.shadow.append(style, holder.content.cloneNode(true));

    const s = this.shadow;
    this.rootEl = must(s, ".root");
    this.launcher = must(s, ".launcher");
    this.panel = must(s, ".panel");
    this.titleEl = must(s, ".title");
    this.log = must(s, ".log");
    this.typing = must(s, ".typing");
    this.notice = must(s, ".notice");
    this.form = must(s, ".composer");
    this.input = must(s, "textarea");
    this.counter = must(s, "#counter");
    this.deleteButton = must(s, ".delete");
    this.confirm = must(s, ".confirm");

    this.sessionId = loadSessionId() ?? newSessionId();
    this.transcript = loadTranscript();

    this.launcher.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    must<HTMLButtonElement>(s, ".close").addEventListener("click", () => this.close());
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
      }
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.sendFromInput();
    });
    this.input.addEventListener("keydown", (e) => {
      // Enter sends; Shift+Enter is a new line; never while an input method is composing a character.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendFromInput();
      }
    });
    this.input.addEventListener("input", () => this.updateCounter());
    this.deleteButton.addEventListener("click", () => this.askDelete(true));
    must<HTMLButtonElement>(s, ".confirm-no").addEventListener("click", () => {
      this.askDelete(false);
      this.deleteButton.focus();
    });
    must<HTMLButtonElement>(s, ".confirm-yes").addEventListener("click", () => this.deleteConversation());
  }

  connectedCallback(): void {
    if (!this.hasAttribute("lang")) this.setAttribute("lang", "nb");
    this.applyTheme();
    this.applyMode();
    this.restoreTranscript();
  }

  disconnectedCallback(): void {
    this.transport?.close();
    this.transport = null;
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue) return;
    if (name === "theme-color") this.applyTheme();
    if (name === "mode") this.applyMode();
    if ((name === "server-url" || name === "socket-path") && this.transport) {
      this.transport.close(); // reconnects to the new address on the next open or message
      this.transport = null;
      if (this.isOpen) this.ensureConnected();
    }
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Opens the panel and puts focus in the message field. */
  open(): void {
    this.panel.hidden = false;
    this.rootEl.classList.add("is-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.ensureConnected();
    this.scrollToEnd();
    this.input.focus();
    const initPayload = this.getAttribute("init-payload");
    if (initPayload && !this.initSent && this.transcript.length === 0) {
      this.initSent = true;
      this.transport?.send(initPayload, this.metadata());
      this.showTyping(true);
    }
  }

  /** Closes the panel and returns focus to the launcher. */
  close(): void {
    if (!this.isOpen) return;
    this.panel.hidden = true;
    this.rootEl.classList.remove("is-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.askDelete(false);
    this.launcher.focus();
  }

  // --- configuration -------------------------------------------------------------------------------

  private get serverUrl(): string {
    return this.getAttribute("server-url") || window.location.origin;
  }

  private get kommune(): string | null {
    const value = (this.getAttribute("kommune") || "").trim();
    return /^\d{4}$/.test(value) ? value : null;
  }

  private get mode(): Mode {
    const value = this.getAttribute("mode");
    return (MODES as readonly string[]).includes(value ?? "") ? (value as Mode) : "innbygger";
  }

  private metadata(): { kommune: string | null; mode: Mode } {
    return { kommune: this.kommune, mode: this.mode };
  }

  private applyTheme(): void {
    const palette = paletteFor(this.getAttribute("theme-color"));
    for (const prop of Array.from(this.rootEl.style)) {
      if (prop.startsWith("--ds-color-accent-")) this.rootEl.style.removeProperty(prop);
    }
    this.rootEl.removeAttribute("data-theme-adjusted");
    if (!palette) return; // Designsystemet's own accent colour
    for (const [name, value] of Object.entries(palette.tokens)) {
      this.rootEl.style.setProperty(`--ds-color-accent-${name}`, value);
    }
    if (palette.adjusted) this.rootEl.setAttribute("data-theme-adjusted", palette.base);
  }

  private applyMode(): void {
    this.titleEl.textContent = this.mode === "ansatt" ? TEXT.titleAnsatt : TEXT.title;
  }

  // --- connection ----------------------------------------------------------------------------------

  private ensureConnected(): void {
    if (this.transport) return;
    this.transport = new RasaTransport({
      serverUrl: this.serverUrl,
      path: this.getAttribute("socket-path") || "/socket.io",
      onBotPayload: (payload) => this.receive(payload),
      onState: (state) => this.showConnection(state),
      onSessionConfirmed: (id) => saveSessionId(id),
    });
    this.transport.connect(this.sessionId);
  }

  private connectionState: ConnectionState | null = null;

  private showConnection(state: ConnectionState): void {
    if (state === this.connectionState) return;
    const wasOffline = this.connectionState === "offline";
    this.connectionState = state;
    if (state === "offline") this.setNotice(TEXT.offline);
    else if (state === "connected" && wasOffline) this.setNotice("");
  }

  // --- sending -------------------------------------------------------------------------------------

  private updateCounter(): void {
    const used = this.input.value.length;
    this.counter.textContent = TEXT.counter(used, MAX_LENGTH);
    this.counter.classList.toggle("at-limit", used >= MAX_LENGTH);
    if (used >= MAX_LENGTH) this.setNotice(TEXT.limitReached(MAX_LENGTH));
    else if (this.notice.textContent === TEXT.limitReached(MAX_LENGTH)) this.setNotice("");
  }

  private sendFromInput(): void {
    const text = this.input.value.trim();
    if (!text) return; // empty or only spaces: nothing is sent
    this.input.value = "";
    this.updateCounter();
    this.sendMessage(text.slice(0, MAX_LENGTH), text.slice(0, MAX_LENGTH));
  }

  /** Sends `payload` to the assistant and shows `shown` as what the user said. */
  private sendMessage(payload: string, shown: string): void {
    this.removeQuickReplies();
    this.turn = [];
    this.appendUser(shown);
    this.remember({ from: "user", text: shown });
    this.ensureConnected();
    this.transport?.send(payload, this.metadata());
    this.showTyping(true);
  }

  private showTyping(on: boolean): void {
    window.clearTimeout(this.typingTimer);
    this.typing.textContent = on ? TEXT.typing : "";
    if (on) this.typingTimer = window.setTimeout(() => this.showTyping(false), TYPING_TIMEOUT_MS);
  }

  private setNotice(text: string): void {
    this.notice.textContent = text;
  }

  // --- receiving -----------------------------------------------------------------------------------

  private receive(payload: unknown): void {
    const item = normaliseBotPayload(payload);
    if (item.type === "ignore") return;
    this.showTyping(false);
    if (item.type === "marker") {
      this.applyMarker(item.kind, item.numbers);
      return;
    }
    const el = this.appendBot(item.message, true);
    this.turn.push({ el, text: item.message.text });
    this.remember({
      from: "bot",
      text: item.message.text,
      kind: item.message.kind,
      quickReplies: item.message.quickReplies,
      numbers: item.message.numbers,
    });
  }

  /** A custom payload without text (Rasa sends `custom` after the text of the same response). */
  private applyMarker(kind: string, numbers: ListedNumber[]): void {
    if (!this.turn.length) return;
    if (kind === "summary") {
      const last = this.turn[this.turn.length - 1];
      this.addSummaryActions(last.el, this.turn.map((t) => t.text).join("\n\n"));
    } else if (kind === "crisis") {
      // Show the whole turn again as one alert, so it is announced at once and stands out.
      const text = this.turn.map((t) => t.text).join("\n\n");
      const el = this.appendBot({ text, quickReplies: [], kind: "crisis", imageSrc: null, numbers }, false);
      for (const t of this.turn) t.el.remove();
      this.transcript = this.transcript.slice(0, this.transcript.length - this.turn.length);
      this.turn = [{ el, text }];
      this.remember({ from: "bot", text, kind: "crisis", numbers });
    }
  }

  // --- transcript ----------------------------------------------------------------------------------

  private appendUser(text: string): void {
    const el = document.createElement("div");
    el.className = "msg msg--user";
    el.append(this.senderLabel(TEXT.youSaid), document.createTextNode(text));
    this.log.append(el);
    this.scrollToEnd();
  }

  private appendBot(message: BotMessage, withQuickReplies: boolean): HTMLElement {
    const el = document.createElement("div");
    const crisis = isCrisis(message);
    el.className = crisis ? "msg msg--bot msg--crisis ds-alert" : "msg msg--bot";
    if (crisis) {
      el.setAttribute("data-color", "warning");
      el.setAttribute("role", "alert");
    }
    el.append(this.senderLabel(TEXT.assistantSaid));
    el.append(renderBlocks(document, parseBotText(message.text, telLookup(message.numbers))));
    const missing = numbersMissingFromText(message.text, message.numbers);
    if (missing.length) {
      // The server listed numbers the text does not show: list them, so every one can be tapped.
      const list = missing.map((n) => `- ${n.name ? `${n.name}: ` : ""}${n.number}`).join("\n");
      el.append(renderBlocks(document, parseBotText(list, telLookup(missing))));
    }
    if (message.imageSrc) {
      const img = document.createElement("img");
      img.src = message.imageSrc;
      img.alt = TEXT.image;
      el.append(img);
    }
    if (message.kind === "summary") this.addSummaryActions(el, message.text);
    if (withQuickReplies && message.quickReplies.length) this.addQuickReplies(el, message.quickReplies);
    this.log.append(el);
    this.scrollToEnd();
    return el;
  }

  private senderLabel(text: string): HTMLElement {
    const span = document.createElement("span");
    span.className = "ds-sr-only";
    span.textContent = `${text} `;
    return span;
  }

  private addQuickReplies(el: HTMLElement, replies: QuickReply[]): void {
    const group = document.createElement("div");
    group.className = "quick";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.quickReplies);
    for (const reply of replies) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "ds-button";
      button.setAttribute("data-variant", "secondary");
      button.setAttribute("data-size", "sm");
      button.textContent = reply.title;
      button.addEventListener("click", () => {
        this.sendMessage(reply.payload, reply.title);
        this.input.focus(); // the pressed button is gone; keep the user where they can write next
      });
      group.append(button);
    }
    el.append(group);
  }

  private removeQuickReplies(): void {
    this.log.querySelectorAll(".quick").forEach((g) => g.remove());
    const last = this.transcript[this.transcript.length - 1];
    if (last?.quickReplies?.length) {
      last.quickReplies = [];
      saveTranscript(this.transcript);
    }
  }

  private addSummaryActions(el: HTMLElement, text: string): void {
    el.querySelector(".actions")?.remove();
    const group = document.createElement("div");
    group.className = "actions";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", TEXT.summaryActions);
    const print = document.createElement("button");
    print.type = "button";
    print.className = "ds-button print";
    print.setAttribute("data-variant", "secondary");
    print.setAttribute("data-size", "sm");
    print.textContent = TEXT.print;
    print.addEventListener("click", () => {
      printText(TEXT.printTitle, text);
      print.focus();
    });
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "ds-button copy";
    copy.setAttribute("data-variant", "secondary");
    copy.setAttribute("data-size", "sm");
    copy.textContent = TEXT.copy;
    copy.addEventListener("click", async () => {
      const ok = await copyText(plainText(text));
      copy.focus();
      this.setNotice(ok ? TEXT.copied : TEXT.copyFailed);
    });
    group.append(print, copy);
    el.append(group);
  }

  private remember(message: StoredMessage): void {
    this.transcript.push(message);
    saveTranscript(this.transcript);
  }

  private restoreTranscript(): void {
    if (this.log.childElementCount) return;
    this.transcript.forEach((m, i) => {
      if (m.from === "user") {
        this.appendUser(m.text);
      } else {
        const isLast = i === this.transcript.length - 1;
        this.appendBot(
          {
            text: m.text,
            quickReplies: isLast ? (m.quickReplies ?? []) : [],
            kind: m.kind ?? null,
            imageSrc: null,
            numbers: m.numbers ?? [],
          },
          isLast,
        );
      }
    });
  }

  private scrollToEnd(): void {
    // Scrolls the transcript only; focus stays where the user is.
    this.log.scrollTop = this.log.scrollHeight;
  }

  // --- deleting ------------------------------------------------------------------------------------

  private askDelete(show: boolean): void {
    this.confirm.hidden = !show;
    this.deleteButton.hidden = show;
    if (show) must<HTMLButtonElement>(this.confirm, ".confirm-yes").focus();
  }

  /** Asks the server to delete the conversation, then forgets it here and starts a new session. */
  private deleteConversation(): void {
    this.ensureConnected();
    this.transport?.send(DELETE_COMMAND, this.metadata());
    this.log.replaceChildren();
    this.transcript = [];
    this.turn = [];
    clearConversation();
    this.sessionId = newSessionId();
    this.transport?.changeSession(this.sessionId);
    this.showTyping(false);
    this.askDelete(false);
    this.setNotice(TEXT.deleted);
    this.input.focus();
  }
}

/** With only the script tag on the page, add the element, configured from the tag's data-* attributes. */
function autoMount(script: HTMLScriptElement | null): void {
  if (!script || !script.hasAttribute("data-server-url")) return;
  const mount = () => {
    if (document.querySelector("samtale-chat")) return;
    const el = document.createElement("samtale-chat");
    for (const name of ["server-url", "kommune", "mode", "theme-color", "socket-path", "init-payload"]) {
      const value = script.getAttribute(`data-${name}`);
      if (value !== null) el.setAttribute(name, value);
    }
    document.body.append(el);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
}

if (!customElements.get("samtale-chat")) {
  customElements.define("samtale-chat", SamtaleChat);
  autoMount(document.currentScript as HTMLScriptElement | null);
}
