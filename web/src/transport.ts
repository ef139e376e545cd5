// The Rasa socket.io channel (Rasa 3.6, python-socketio 5.9 server; Socket.IO protocol v5).
// Protocol: emit `session_request` {session_id}; server answers `session_confirm` <id>; emit `user_uttered`
// {message, session_id, customData, metadata}; server emits `bot_uttered` payloads.

import { io, type Socket } from "socket.io-client";

export type ConnectionState = "connecting" | "connected" | "offline";

export interface TransportOptions {
  serverUrl: string;
  path: string;
  onBotPayload: (payload: unknown) => void;
  onState: (state: ConnectionState) => void;
  onSessionConfirmed: (sessionId: string) => void;
}

export interface Metadata {
  kommune: string | null;
  mode: string;
}

export class RasaTransport {
  private socket: Socket | null = null;
  private sessionId: string | null = null;
  private confirmed = false;
  /** Messages typed before the session was confirmed; sent in order once it is. */
  private queue: Array<{ message: string; metadata: Metadata; sessionId: string | null }> = [];

  constructor(private readonly options: TransportOptions) {}

  /** Opens the connection (once) and asks for `sessionId`. */
  connect(sessionId: string): void {
    this.sessionId = sessionId;
    if (this.socket) {
      this.requestSession();
      return;
    }
    this.options.onState("connecting");
    const socket = io(this.options.serverUrl, {
      path: this.options.path,
      // WebSocket first: it needs no CORS set-up on the Rasa server; long-polling is the fallback.
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 10000,
    });
    this.socket = socket;
    socket.on("connect", () => this.requestSession());
    socket.on("session_confirm", (data: unknown) => {
      const id = typeof data === "string" ? data : typeof data === "object" && data !== null ? (data as { session_id?: unknown }).session_id : null;
      if (typeof id !== "string" || id !== this.sessionId) return; // a late confirm for an older session
      this.confirmed = true;
      this.options.onState("connected");
      this.options.onSessionConfirmed(id);
      this.flush();
    });
    socket.on("bot_uttered", (payload: unknown) => this.options.onBotPayload(payload));
    socket.on("disconnect", () => {
      this.confirmed = false;
      this.options.onState("offline");
    });
    socket.on("connect_error", () => this.options.onState("offline"));
  }

  /** Switches to a new session (after deletion) without dropping the connection. */
  changeSession(sessionId: string): void {
    this.sessionId = sessionId;
    this.confirmed = false;
    if (this.socket?.connected) this.requestSession();
  }

  send(message: string, metadata: Metadata): void {
    // The session id is taken now: a deletion request must go to the session it deletes, even if sent later.
    this.queue.push({ message, metadata, sessionId: this.sessionId });
    this.flush();
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.confirmed = false;
  }

  private requestSession(): void {
    this.confirmed = false;
    this.socket?.emit("session_request", { session_id: this.sessionId });
  }

  private flush(): void {
    if (!this.socket || !this.confirmed) return;
    while (this.queue.length) {
      const { message, metadata, sessionId } = this.queue.shift()!;
      // `customData` is what Rasa's docs and Rasa Webchat use (credentials.yml `metadata_key: customData`);
      // `metadata` is Rasa 3.6's default metadata_key. Sending both works with either configuration.
      this.socket.emit("user_uttered", {
        message,
        session_id: sessionId,
        customData: metadata,
        metadata,
      });
    }
  }
}
