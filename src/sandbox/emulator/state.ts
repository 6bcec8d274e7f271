import { createHash, randomBytes } from "node:crypto";
import { badRequest, QUERY_TOO_OLD } from "./errors.ts";
import { commandEntities } from "./raw-message.ts";
import type { ChatRecord } from "./state-core.ts";
import { StateCore } from "./state-core.ts";
import type { StoredMessage, TgContact, TgUpdate } from "./types.ts";
import { hasInlineKeyboard } from "./validation.ts";
import type { InlineAnswer } from "./inline.ts";
import { MAX_INLINE_QUERY_CHARS } from "./inline.ts";
import { parseHtml } from "../../telegram-html-parser.ts";

export type { ChatRecord, EmulatorOptions, EmulatorStats, InjectedError } from "./state-core.ts";
export { DEFAULT_TOKEN, StateCore } from "./state-core.ts";

interface PendingQuery {
  id: string;
  chatId: number;
  messageId: number;
  createdAt: number;
  answered: boolean;
}

/** What the bot said when it answered a callback query. */
export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
}

/** A file a simulated user sends. */
export interface UserUpload {
  data: Uint8Array;
  file_name?: string;
  mime_type?: string;
  caption?: string;
}

/**
 * The emulator's state plus the simulated users' actions. Each action stores
 * the user's message (if any), emits events and queues a Telegram-shaped
 * update for the bot's getUpdates.
 */
export class EmulatorState extends StateCore {
  private readonly queries = new Map<string, PendingQuery>();
  private readonly inlineQueries = new Map<
    string,
    { userId: number; query: string; createdAt: number; answered: boolean; answer?: InlineAnswer }
  >();

  private userChat(userId: number): ChatRecord {
    const record = this.getChat(userId);
    if (!record) throw new Error(`no user ${userId}: call ensureUser first`);
    return record;
  }

  /** The update queued by the latest user action (for callers that hand it to the bot themselves). */
  lastUpdate: TgUpdate | undefined;

  private pushMessageUpdate(stored: StoredMessage): TgUpdate {
    this.lastUpdate = this.updates.push({ message: stored.raw });
    return this.lastUpdate;
  }

  /** The user sends a text; a leading "/cmd" gets its bot_command entity so `bot.command` matches. */
  sendText(userId: number, text: string, options: { reply_to_message_id?: number } = {}): StoredMessage {
    if (text.trim() === "") throw new Error("a user cannot send an empty text");
    const record = this.userChat(userId);
    const content = { text, entities: commandEntities(text) };
    const stored = this.addMessage(
      record,
      "user",
      options.reply_to_message_id === undefined ? content : { ...content, ...options },
    );
    this.pushMessageUpdate(stored);
    return stored;
  }

  /** The user shares a contact (reply-keyboard request_contact button, or attachment menu). */
  shareContact(userId: number, contact: Partial<TgContact> & { phone_number: string }): StoredMessage {
    const record = this.userChat(userId);
    const full: TgContact = {
      phone_number: contact.phone_number,
      first_name: contact.first_name ?? record.user.first_name,
    };
    const lastName =
      contact.last_name ?? (contact.first_name === undefined ? record.user.last_name : undefined);
    if (lastName !== undefined) full.last_name = lastName;
    if (contact.user_id !== undefined) full.user_id = contact.user_id;
    const stored = this.addMessage(record, "user", { text: "", contact: full });
    this.pushMessageUpdate(stored);
    return stored;
  }

  /** The user sends a document; the bytes are kept and reachable through getFile. */
  sendDocument(userId: number, upload: UserUpload): StoredMessage {
    const record = this.userChat(userId);
    const meta: { kind: "document"; file_name?: string; mime_type?: string } = { kind: "document" };
    if (upload.file_name !== undefined) meta.file_name = upload.file_name;
    if (upload.mime_type !== undefined) meta.mime_type = upload.mime_type;
    const file = this.files.add(Buffer.from(upload.data), meta);
    const document: NonNullable<StoredMessage["document"]> = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.file_size,
    };
    if (file.file_name !== undefined) document.file_name = file.file_name;
    if (file.mime_type !== undefined) document.mime_type = file.mime_type;
    const stored = this.addMessage(record, "user", { text: upload.caption ?? "", document });
    this.pushMessageUpdate(stored);
    return stored;
  }

  /** The user sends a photo (PNG/JPEG/GIF/WebP bytes). */
  sendPhoto(userId: number, upload: UserUpload): StoredMessage {
    const record = this.userChat(userId);
    const file = this.files.add(Buffer.from(upload.data), { kind: "photo" });
    const photo = [
      {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        width: file.width ?? 0,
        height: file.height ?? 0,
        file_size: file.file_size,
      },
    ];
    const stored = this.addMessage(record, "user", { text: upload.caption ?? "", photo });
    this.pushMessageUpdate(stored);
    return stored;
  }

  /**
   * The user presses an inline button: queues a callback_query update with a
   * fresh query id. Throws if the message or a button with that
   * callback_data does not exist (a real client could not press it either).
   */
  pressButton(
    userId: number,
    messageId: number,
    callbackData: string,
    options: { forged?: boolean } = {},
  ): { queryId: string; updateId: number; update: TgUpdate } {
    const record = this.userChat(userId);
    const stored = record.messages.get(messageId);
    if (stored?.side !== "bot") throw new Error(`no bot message ${messageId} in chat ${userId}`);
    if (stored.deleted) throw new Error(`message ${messageId} in chat ${userId} was deleted`);
    const markup = stored.reply_markup;
    const found =
      hasInlineKeyboard(markup) &&
      markup.inline_keyboard.some((row) => row.some((b) => b.callback_data === callbackData));
    // A modified client can send any data with a press; the bot must re-check it (forged: true).
    if (!found && !options.forged)
      throw new Error(
        `message ${messageId} has no inline button with callback_data ${JSON.stringify(callbackData)}`,
      );
    const queryId = BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString();
    this.queries.set(queryId, {
      id: queryId,
      chatId: userId,
      messageId,
      createdAt: this.now(),
      answered: false,
    });
    const update = this.updates.push({
      callback_query: {
        id: queryId,
        from: record.user,
        message: stored.raw,
        chat_instance: this.chatInstance(userId),
        data: callbackData,
      },
    });
    return { queryId, updateId: update.update_id, update };
  }

  /** Telegram's stable opaque id of "this chat, seen by this bot". */
  private chatInstance(chatId: number): string {
    const digest = createHash("sha256").update(`${this.bot.id}:${chatId}`).digest();
    return digest.readBigInt64BE().toString();
  }

  /**
   * The bot answers a callback query. Unknown, already answered or expired
   * queries get Telegram's "query is too old" 400.
   */
  answerCallbackQuery(queryId: string, answer: CallbackAnswer): void {
    const query = this.queries.get(queryId);
    if (!query || query.answered || this.now() - query.createdAt > this.callbackQueryTimeoutMs) {
      throw badRequest(QUERY_TOO_OLD);
    }
    query.answered = true;
    const event = {
      type: "callbackAnswer" as const,
      chatId: query.chatId,
      queryId,
      messageId: query.messageId,
      show_alert: answer.show_alert ?? false,
    };
    this.log.push({
      ...event,
      ...(answer.text === undefined ? {} : { text: answer.text }),
      ...(answer.url === undefined ? {} : { url: answer.url }),
    });
  }

  /**
   * The user types `@bot <query>` in some chat: queues an inline_query update. Telegram cuts the
   * query to 256 characters before the bot sees it.
   */
  inlineQuery(userId: number, query: string, chatType = "private"): { queryId: string; updateId: number } {
    const record = this.userChat(userId);
    const queryId = BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString();
    const cut = Array.from(query).slice(0, MAX_INLINE_QUERY_CHARS).join("");
    this.inlineQueries.set(queryId, { userId, query: cut, createdAt: this.now(), answered: false });
    const update = this.updates.push({
      inline_query: { id: queryId, from: record.user, query: cut, offset: "", chat_type: chatType },
    });
    return { queryId, updateId: update.update_id };
  }

  /** The bot answers an inline query (checked like Telegram: once, in time, within the limits). */
  answerInlineQuery(queryId: string, answer: InlineAnswer): void {
    const query = this.inlineQueries.get(queryId);
    if (!query || query.answered || this.now() - query.createdAt > this.callbackQueryTimeoutMs) {
      throw badRequest(QUERY_TOO_OLD);
    }
    query.answered = true;
    query.answer = answer;
    this.log.push({ type: "inlineAnswer", chatId: query.userId, queryId, query: query.query, answer });
  }

  /**
   * The user picks one of the bot's inline results and sends it into another person's chat (the
   * family group of real life): the result's message appears there, sent "via" the bot, with its
   * buttons. The bot gets no update, as in Telegram without inline feedback.
   */
  sendInlineResult(userId: number, queryId: string, resultId: string, targetChatId: number): StoredMessage {
    const query = this.inlineQueries.get(queryId);
    if (!query || query.userId !== userId || !query.answer)
      throw new Error(`no answered inline query ${queryId} of ${userId}`);
    const result = query.answer.results.find((r) => r.id === resultId);
    const html = result?.input_message_content?.message_text;
    if (!result || html === undefined) throw new Error(`inline query ${queryId} has no result ${resultId}`);
    const target = this.requireChat(targetChatId);
    const isHtml = result.input_message_content?.parse_mode?.toLowerCase() === "html";
    const parsed = isHtml ? parseHtml(html) : { text: html, entities: [] };
    return this.addMessage(target, "bot", {
      text: parsed.text,
      entities: parsed.entities,
      ...(isHtml ? { html, parse_mode: "HTML" } : {}),
      ...(result.reply_markup ? { reply_markup: result.reply_markup as never } : {}),
    });
  }

  /** Whether the bot has answered a query (undefined: unknown id). */
  isQueryAnswered(queryId: string): boolean | undefined {
    return this.queries.get(queryId)?.answered;
  }

  /** Blocks the bot for this user: sends answer 403 and the bot gets a my_chat_member update, as in Telegram. */
  override blockUser(userId: number): void {
    const record = this.userChat(userId);
    if (record.blocked) return;
    super.blockUser(userId);
    this.pushMemberUpdate(record, "member", "kicked");
  }

  /** Unblocks (the user pressed "Restart"); the bot gets a my_chat_member update. */
  override unblockUser(userId: number): void {
    const record = this.userChat(userId);
    if (!record.blocked) return;
    super.unblockUser(userId);
    this.pushMemberUpdate(record, "kicked", "member");
  }

  private pushMemberUpdate(record: ChatRecord, from: string, to: string): void {
    const member = (status: string): Record<string, unknown> =>
      status === "kicked" ? { user: this.bot, status, until_date: 0 } : { user: this.bot, status };
    this.updates.push({
      my_chat_member: {
        chat: record.chat,
        from: record.user,
        date: this.unixTime(),
        old_chat_member: member(from),
        new_chat_member: member(to),
      },
    });
  }

  override reset(): void {
    super.reset();
    this.queries.clear();
    this.inlineQueries.clear();
  }
}
