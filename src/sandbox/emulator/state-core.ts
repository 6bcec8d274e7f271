import type { EventEmitter } from "node:events";
import { ApiError, badRequest } from "./errors.ts";
import type { EmulatorEventMap } from "./events.ts";
import { EventLog } from "./events.ts";
import { FileStore } from "./file-store.ts";
import type { RateLimitOptions } from "./rate-limiter.ts";
import { RateLimiter } from "./rate-limiter.ts";
import type { MessageContent } from "./raw-message.ts";
import { buildRawMessage, privateChatOf } from "./raw-message.ts";
import type {
  EmulatorLogger,
  StoredMessage,
  TgBotCommand,
  TgChat,
  TgReplyKeyboardMarkup,
  TgUser,
  UserProfile,
} from "./types.ts";
import { UpdateQueue } from "./update-queue.ts";

/** Options of `createEmulator` / `new EmulatorState`. */
export interface EmulatorOptions {
  /** The only token the emulator accepts; its numeric prefix is the bot's id. Default "1000001:emulator-test-token". */
  token?: string;
  /** getMe's name fields. */
  botInfo?: { first_name?: string; username?: string };
  /** Token-bucket limits; `false` turns them off. On by default. */
  rateLimit?: RateLimitOptions | false;
  /** How long a callback query may wait for its answer. Default 15000 (Telegram's ~15 s). */
  callbackQueryTimeoutMs?: number;
  /** Clock in ms; inject one to test timeouts and rate limits without sleeping. */
  now?: () => number;
  logger?: EmulatorLogger;
  firstUpdateId?: number;
  /** Events kept for pollers. Default 10000. */
  maxEvents?: number;
  /**
   * Treat every unknown positive chat id as a person who has started the bot. Only for
   * throughput benchmarks, whose thousands of made-up residents never open a chat; tests keep
   * Telegram's "chat not found".
   */
  anyChat?: boolean;
}

/** A private chat and everything in it. */
export interface ChatRecord {
  chat: TgChat;
  user: TgUser;
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  blocked: boolean;
  /** The reply keyboard currently shown, set by `keyboard` markup and cleared by `remove_keyboard`. */
  replyKeyboard?: TgReplyKeyboardMarkup;
  menuButton?: unknown;
}

/** An error queued by `injectError`. */
export interface InjectedError {
  error_code: number;
  description: string;
  retry_after?: number;
}

/** Counters for assertions and a UI's status line. */
export interface EmulatorStats {
  /** Calls per method, including failed ones. */
  calls: Record<string, number>;
  /** Error answers per HTTP status. */
  errors: Record<number, number>;
  /** 429 answers caused by the rate limiter (injected ones are not counted here). */
  tooManyRequests: number;
}

export const DEFAULT_TOKEN = "1000001:emulator-test-token";

/**
 * The storage half of the emulator's state: users, chats, messages, files,
 * pending updates, stored commands, injected errors, counters and the event
 * log. `EmulatorState` adds the simulated user's actions on top.
 */
export class StateCore {
  readonly token: string;
  readonly bot: TgUser;
  readonly files = new FileStore();
  readonly updates: UpdateQueue;
  readonly log: EventLog;
  readonly rateLimiter: RateLimiter;
  readonly callbackQueryTimeoutMs: number;
  readonly logger: EmulatorLogger | undefined;
  readonly now: () => number;
  stats: EmulatorStats = { calls: {}, errors: {}, tooManyRequests: 0 };
  webhook:
    | {
        url: string;
        secret_token?: string;
        allowed_updates?: unknown;
        max_connections?: number;
        /** Set by tests: Telegram's report of its last failed delivery (unix seconds, text). */
        last_error_date?: number;
        last_error_message?: string;
      }
    | undefined;
  readonly commands = new Map<
    string,
    { scope: Record<string, unknown>; language_code: string; commands: TgBotCommand[] }
  >();
  defaultMenuButton: unknown = { type: "default" };
  protected readonly chats = new Map<number, ChatRecord>();
  private readonly anyChat: boolean;
  private readonly injected = new Map<string, Array<InjectedError & { remaining: number }>>();

  constructor(options: EmulatorOptions = {}) {
    this.token = options.token ?? DEFAULT_TOKEN;
    const idPart = /^(\d+):/.exec(this.token)?.[1];
    this.bot = {
      id: idPart === undefined ? 1000001 : Number(idPart),
      is_bot: true,
      first_name: options.botInfo?.first_name ?? "Lifelong Test Bot",
      username: options.botInfo?.username ?? "lifelong_test_bot",
    };
    this.now = options.now ?? Date.now;
    this.updates = new UpdateQueue(options.firstUpdateId ?? 1);
    this.log = new EventLog(options.maxEvents);
    this.rateLimiter = new RateLimiter(options.rateLimit, this.now);
    this.callbackQueryTimeoutMs = options.callbackQueryTimeoutMs ?? 15_000;
    this.logger = options.logger;
    this.anyChat = options.anyChat ?? false;
  }

  /** Live events: message, edit, delete, callbackAnswer, commands, chatAction, apiError, and "event" for all. */
  get events(): EventEmitter<EmulatorEventMap> {
    return this.log.emitter;
  }

  /** Unix time in seconds, as in Telegram's `date` fields. */
  unixTime(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Creates the user and their private chat, or updates the profile of an existing one. */
  ensureUser(profile: UserProfile): TgUser {
    const user: TgUser = { id: profile.id, is_bot: false, first_name: profile.first_name };
    if (profile.last_name !== undefined) user.last_name = profile.last_name;
    if (profile.username !== undefined) user.username = profile.username;
    if (profile.language_code !== undefined) user.language_code = profile.language_code;
    const existing = this.chats.get(profile.id);
    if (existing) {
      existing.user = user;
      existing.chat = privateChatOf(user);
      return user;
    }
    this.chats.set(profile.id, {
      chat: privateChatOf(user),
      user,
      messages: new Map(),
      nextMessageId: 1,
      blocked: false,
    });
    return user;
  }

  /**
   * A channel the bot posts to (the school's public channel). Read-only for people: it has no
   * user to write from; `blockUser(id)` makes sends fail with 403, as when the bot is removed.
   */
  ensureChannel(id: number, title: string): void {
    if (this.chats.has(id)) return;
    this.chats.set(id, {
      chat: { id, type: "channel", title } as unknown as ChatRecord["chat"],
      user: { id, is_bot: false, first_name: title },
      messages: new Map(),
      nextMessageId: 1,
      blocked: false,
    });
  }

  /** The chat record, or undefined when no such user was created. */
  getChat(chatId: number): ChatRecord | undefined {
    return this.chats.get(chatId);
  }

  /** All chats, for a UI's chat list. */
  listChats(): ChatRecord[] {
    return [...this.chats.values()];
  }

  /** The chat, or Telegram's "chat not found" error. */
  requireChat(chatId: number | undefined): ChatRecord {
    let record = chatId === undefined ? undefined : this.chats.get(chatId);
    if (!record && this.anyChat && chatId !== undefined && chatId > 0) {
      this.ensureUser({ id: chatId, first_name: `User ${chatId}` });
      record = this.chats.get(chatId);
    }
    if (!record) throw badRequest("chat not found");
    return record;
  }

  /** From now on every send to this user answers 403, as when a user blocks a bot. */
  blockUser(userId: number): void {
    this.requireChat(userId).blocked = true;
  }

  unblockUser(userId: number): void {
    this.requireChat(userId).blocked = false;
  }

  /** Messages of a chat in id order; deleted ones only when asked for. */
  messages(chatId: number, options: { includeDeleted?: boolean } = {}): StoredMessage[] {
    const record = this.chats.get(chatId);
    if (!record) return [];
    return [...record.messages.values()].filter((m) => options.includeDeleted || !m.deleted);
  }

  /** One stored message (deleted ones included). */
  message(chatId: number, messageId: number): StoredMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  /** Makes the next `times` calls of `method` fail with this error. */
  injectError(method: string, error: InjectedError, times = 1): void {
    const queue = this.injected.get(method) ?? [];
    queue.push({ ...error, remaining: times });
    this.injected.set(method, queue);
  }

  /** Consumes one injected error for `method`, if any is queued. */
  takeInjectedError(method: string): ApiError | undefined {
    const queue = this.injected.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return new ApiError(head.error_code, head.description, head.retry_after);
  }

  /** Stores a new message in the chat with the next message_id and emits `message`. */
  addMessage(record: ChatRecord, side: "bot" | "user", content: MessageContent): StoredMessage {
    const stored: StoredMessage = {
      chat_id: record.chat.id,
      message_id: record.nextMessageId++,
      side,
      date: this.unixTime(),
      text: content.text,
      entities: content.entities ?? [],
      edited: false,
      deleted: false,
      raw: undefined as unknown as StoredMessage["raw"],
    };
    for (const key of [
      "html",
      "parse_mode",
      "reply_markup",
      "photo",
      "document",
      "contact",
      "reply_to_message_id",
    ] as const) {
      if (content[key] !== undefined) Object.assign(stored, { [key]: content[key] });
    }
    if (stored.photo || stored.document) stored.caption = stored.text;
    if (side === "bot" && content.reply_markup) {
      if ("keyboard" in content.reply_markup) record.replyKeyboard = content.reply_markup;
      if ("remove_keyboard" in content.reply_markup) record.replyKeyboard = undefined;
    }
    this.refreshRaw(record, stored);
    record.messages.set(stored.message_id, stored);
    this.log.push({ type: "message", chatId: record.chat.id, message: stored });
    return stored;
  }

  /** Rebuilds `raw` after a change, so the bot and listeners see one truth. */
  refreshRaw(record: ChatRecord, stored: StoredMessage): void {
    const from = stored.side === "bot" ? this.bot : record.user;
    const replied =
      stored.reply_to_message_id === undefined ? undefined : record.messages.get(stored.reply_to_message_id);
    // Telegram nests only one level of reply_to_message.
    const { reply_to_message: _nested, ...replyTo } = replied?.raw ?? { message_id: 0 };
    stored.raw = buildRawMessage(
      stored,
      from,
      record.chat,
      replied ? (replyTo as StoredMessage["raw"]) : undefined,
    );
  }

  /** Applies an edit, stamps edit_date and emits `edit`. */
  editMessage(
    record: ChatRecord,
    stored: StoredMessage,
    changes: Partial<MessageContent> & { removeMarkup?: boolean },
  ): StoredMessage {
    const { removeMarkup, ...rest } = changes;
    Object.assign(stored, rest);
    // An edit without parse_mode must not keep the previous text's html.
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined) delete (stored as unknown as Record<string, unknown>)[key];
    }
    if (removeMarkup) delete stored.reply_markup;
    if (stored.photo || stored.document) stored.caption = stored.text;
    stored.edited = true;
    stored.edit_date = this.unixTime();
    this.refreshRaw(record, stored);
    this.log.push({ type: "edit", chatId: record.chat.id, message: stored });
    return stored;
  }

  /** Marks a message deleted (kept for UIs and post-mortems) and emits `delete`. */
  deleteMessage(record: ChatRecord, stored: StoredMessage): void {
    stored.deleted = true;
    this.log.push({ type: "delete", chatId: record.chat.id, messageId: stored.message_id, message: stored });
  }

  /** Counts a call to `method`. */
  countCall(method: string): void {
    this.stats.calls[method] = (this.stats.calls[method] ?? 0) + 1;
  }

  /** Counts an error answer and tells listeners about it. */
  countError(method: string, error: ApiError, chatId: number | undefined): void {
    this.stats.errors[error.errorCode] = (this.stats.errors[error.errorCode] ?? 0) + 1;
    const event = {
      type: "apiError" as const,
      method,
      error_code: error.errorCode,
      description: error.description,
    };
    this.log.push(chatId === undefined ? event : { ...event, chatId });
  }

  /** Forgets users, chats, updates, queries, commands, injections, counters and rate-limit state; the event seq goes on. */
  reset(): void {
    this.chats.clear();
    this.injected.clear();
    this.commands.clear();
    this.updates.clear();
    this.rateLimiter.reset();
    this.stats = { calls: {}, errors: {}, tooManyRequests: 0 };
    this.webhook = undefined;
  }
}
