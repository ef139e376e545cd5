// Per-tab memory of the conversation. sessionStorage (not localStorage): it ends when the tab closes, so a
// shared or public computer does not keep someone's conversation about death and illness.

import type { ListedNumber, QuickReply } from "./bot-message";

export interface StoredMessage {
  from: "user" | "bot";
  text: string;
  kind?: string | null;
  quickReplies?: QuickReply[];
  numbers?: ListedNumber[];
}

const SESSION_KEY = "samtale-chat:session-id";
const TRANSCRIPT_KEY = "samtale-chat:transcript";
const MAX_STORED = 200;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // blocked storage (sandboxed iframe, strict privacy settings): work without memory
  }
}

export function loadSessionId(): string | null {
  try {
    const id = storage()?.getItem(SESSION_KEY) ?? null;
    return id && /^[A-Za-z0-9_-]{8,100}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

export function saveSessionId(id: string): void {
  try {
    storage()?.setItem(SESSION_KEY, id);
  } catch {
    /* quota or blocked: the conversation still works for this page */
  }
}

export function loadTranscript(): StoredMessage[] {
  try {
    const raw = storage()?.getItem(TRANSCRIPT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (m): m is StoredMessage =>
        typeof m === "object" && m !== null && (m.from === "user" || m.from === "bot") && typeof m.text === "string",
    );
  } catch {
    return [];
  }
}

export function saveTranscript(messages: StoredMessage[]): void {
  try {
    storage()?.setItem(TRANSCRIPT_KEY, JSON.stringify(messages.slice(-MAX_STORED)));
  } catch {
    /* see saveSessionId */
  }
}

export function clearConversation(): void {
  try {
    storage()?.removeItem(SESSION_KEY);
    storage()?.removeItem(TRANSCRIPT_KEY);
  } catch {
    /* nothing stored */
  }
}

/** A new random session id (hex, like Rasa's own uuid4().hex). */
export function newSessionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
