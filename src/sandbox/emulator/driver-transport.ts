import type { EmulatorEvent } from "./events.ts";
import type { EmulatorState, UserUpload } from "./state.ts";
import type { StoredMessage, TgContact, TgReplyKeyboardMarkup, UserProfile } from "./types.ts";

/** The chat facts a driver needs besides messages. */
export interface ChatInfo {
  blocked: boolean;
  reply_keyboard: TgReplyKeyboardMarkup | null;
}

/**
 * How a driver reaches the emulator: in process (direct calls on the state)
 * or over HTTP (the /_emulator control API). Both behave the same, so a
 * scenario runs unchanged against an emulator in another process.
 */
export interface DriverTransport {
  ensureUser(profile: UserProfile): Promise<void>;
  /** The seq of the latest emulator event. */
  lastSeq(): Promise<number>;
  sendText(userId: number, text: string): Promise<StoredMessage>;
  pressButton(userId: number, messageId: number, callbackData: string): Promise<{ queryId: string }>;
  /** The user types `@bot <query>` in a chat. */
  inlineQuery(userId: number, query: string): Promise<{ queryId: string }>;
  shareContact(
    userId: number,
    contact: Partial<TgContact> & { phone_number: string },
  ): Promise<StoredMessage>;
  sendDocument(userId: number, upload: UserUpload): Promise<StoredMessage>;
  sendPhoto(userId: number, upload: UserUpload): Promise<StoredMessage>;
  setBlocked(userId: number, blocked: boolean): Promise<void>;
  messages(chatId: number, includeDeleted?: boolean): Promise<StoredMessage[]>;
  chat(chatId: number): Promise<ChatInfo>;
  /** Events of the chat after `after`; waits up to `timeoutMs` for the first one. */
  poll(after: number, chatId: number, timeoutMs: number): Promise<EmulatorEvent[]>;
  download(fileId: string): Promise<Buffer>;
}

/** A transport that calls the state directly (same process). */
export function createLocalTransport(state: EmulatorState): DriverTransport {
  // Wrapped in async functions so a throw becomes a rejection, as over HTTP.
  return {
    ensureUser: async (profile) => void state.ensureUser(profile),
    lastSeq: async () => state.log.lastSeq,
    sendText: async (userId, text) => state.sendText(userId, text),
    pressButton: async (userId, messageId, data) => state.pressButton(userId, messageId, data),
    inlineQuery: async (userId, query) => state.inlineQuery(userId, query),
    shareContact: async (userId, contact) => state.shareContact(userId, contact),
    sendDocument: async (userId, upload) => state.sendDocument(userId, upload),
    sendPhoto: async (userId, upload) => state.sendPhoto(userId, upload),
    setBlocked: async (userId, blocked) => (blocked ? state.blockUser(userId) : state.unblockUser(userId)),
    messages: async (chatId, includeDeleted = false) =>
      structuredClone(state.messages(chatId, { includeDeleted })),
    chat: async (chatId) => {
      const record = state.getChat(chatId);
      if (!record) throw new Error(`no chat ${chatId}`);
      return { blocked: record.blocked, reply_keyboard: structuredClone(record.replyKeyboard) ?? null };
    },
    poll: (after, chatId, timeoutMs) => state.log.wait(after, { chatId, timeoutMs }),
    download: async (fileId) => {
      const file = state.files.get(fileId);
      if (!file) throw new Error(`no file ${fileId}`);
      return Buffer.from(file.data);
    },
  };
}

/** Normalizes an apiRoot or control URL to the control API's base. */
export function controlBase(url: string): string {
  return `${url.replace(/\/+$/, "").replace(/\/_emulator$/, "")}/_emulator`;
}

/** A transport over the emulator's HTTP control API (`http://127.0.0.1:PORT` or `.../_emulator`). */
export function createHttpTransport(url: string): DriverTransport {
  const base = controlBase(url);
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { "content-type": "application/json" };
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${base}${path}`, init);
    const json = (await res.json()) as { ok: boolean; result?: T; description?: string };
    if (!json.ok)
      throw new Error(`emulator control API ${method} ${path}: ${json.description ?? res.status}`);
    return json.result as T;
  }
  const uploadBody = (upload: UserUpload): Record<string, unknown> => ({
    data_base64: Buffer.from(upload.data).toString("base64"),
    file_name: upload.file_name,
    mime_type: upload.mime_type,
    caption: upload.caption,
  });
  return {
    ensureUser: async (profile) => void (await call("POST", "/users", profile)),
    lastSeq: async () => (await call<{ last_seq: number }>("GET", "/health")).last_seq,
    sendText: (userId, text) => call("POST", `/users/${userId}/text`, { text }),
    pressButton: async (userId, messageId, data) => {
      const r = await call<{ query_id: string }>("POST", `/users/${userId}/press`, {
        message_id: messageId,
        callback_data: data,
      });
      return { queryId: r.query_id };
    },
    inlineQuery: async (userId, query) => {
      const r = await call<{ query_id: string }>("POST", `/users/${userId}/inline`, { query });
      return { queryId: r.query_id };
    },
    shareContact: (userId, contact) => call("POST", `/users/${userId}/contact`, contact),
    sendDocument: (userId, upload) => call("POST", `/users/${userId}/document`, uploadBody(upload)),
    sendPhoto: (userId, upload) => call("POST", `/users/${userId}/photo`, uploadBody(upload)),
    setBlocked: async (userId, blocked) =>
      void (await call("POST", `/users/${userId}/${blocked ? "block" : "unblock"}`)),
    messages: (chatId, includeDeleted = false) =>
      call("GET", `/chats/${chatId}/messages${includeDeleted ? "?include_deleted=1" : ""}`),
    chat: (chatId) => call("GET", `/chats/${chatId}`),
    poll: async (after, chatId, timeoutMs) => {
      const query = `after=${after}&chat_id=${chatId}&timeout_ms=${Math.max(0, Math.round(timeoutMs))}`;
      return (await call<{ events: EmulatorEvent[] }>("GET", `/events/poll?${query}`)).events;
    },
    download: async (fileId) => {
      const res = await fetch(`${base}/files/${encodeURIComponent(fileId)}`);
      if (!res.ok) throw new Error(`emulator control API: no file ${fileId}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}
