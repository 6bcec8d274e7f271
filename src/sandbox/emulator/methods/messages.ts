import { parseInlineAnswer } from "../inline.ts";
import { badRequest, NOT_MODIFIED } from "../errors.ts";
import type { MessageContent } from "../raw-message.ts";
import type { ChatRecord } from "../state.ts";
import type { StoredMessage, TgInlineKeyboardMarkup, TgReplyMarkup } from "../types.ts";
import { canonicalJson, hasInlineKeyboard, parseContent, parseReplyMarkup } from "../validation.ts";
import type { MethodContext, MethodHandler } from "./context.ts";
import { editTarget, replyTarget, sendTarget, spendRate } from "./context.ts";

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** Content fields of a parsed text/caption, with html and parse_mode cleared when absent. */
export function contentFields(
  parsed: ReturnType<typeof parseContent>,
): Pick<MessageContent, "text" | "entities" | "html" | "parse_mode"> {
  return { text: parsed.text, entities: parsed.entities, html: parsed.html, parse_mode: parsed.parse_mode };
}

const inlineOf = (markup: TgReplyMarkup | undefined): TgInlineKeyboardMarkup | undefined =>
  hasInlineKeyboard(markup) ? markup : undefined;

/** Edits may only carry an inline keyboard. */
function editMarkup(ctx: MethodContext): TgInlineKeyboardMarkup | undefined {
  const markup = parseReplyMarkup(ctx.params);
  if (markup !== undefined && !("inline_keyboard" in markup)) throw badRequest("inline keyboard expected");
  return inlineOf(markup);
}

/**
 * Telegram refuses an edit that changes nothing: same text, entities and
 * inline keyboard. An edit without reply_markup removes the keyboard, so it
 * is a change whenever the message had one.
 */
function applyEdit(
  ctx: MethodContext,
  record: ChatRecord,
  stored: StoredMessage,
  changes: { text?: string; entities?: StoredMessage["entities"]; html?: string; parse_mode?: string },
  markup: TgInlineKeyboardMarkup | undefined,
): StoredMessage["raw"] {
  const sameText =
    changes.text === undefined ||
    (changes.text === stored.text && canonicalJson(changes.entities) === canonicalJson(stored.entities));
  const sameMarkup = canonicalJson(inlineOf(stored.reply_markup) ?? null) === canonicalJson(markup ?? null);
  if (sameText && sameMarkup) throw badRequest(NOT_MODIFIED);
  spendRate(ctx, record.chat.id);
  const removeMarkup = markup === undefined && inlineOf(stored.reply_markup) !== undefined;
  const update: Partial<MessageContent> & { removeMarkup?: boolean } = { ...changes, removeMarkup };
  if (markup) update.reply_markup = markup;
  return ctx.state.editMessage(record, stored, update).raw;
}

const sendMessage: MethodHandler = (ctx) => {
  const record = sendTarget(ctx);
  const parsed = parseContent(ctx.params, "text");
  const markup = parseReplyMarkup(ctx.params);
  const replyTo = replyTarget(ctx, record);
  spendRate(ctx, record.chat.id);
  const content: MessageContent = contentFields(parsed);
  if (markup) content.reply_markup = markup;
  if (replyTo !== undefined) content.reply_to_message_id = replyTo;
  return ctx.state.addMessage(record, "bot", content).raw;
};

const editMessageText: MethodHandler = (ctx) => {
  const { record, stored } = editTarget(ctx);
  if (stored.photo || stored.document || stored.contact)
    throw badRequest("there is no text in the message to edit");
  const parsed = parseContent(ctx.params, "text");
  return applyEdit(ctx, record, stored, contentFields(parsed), editMarkup(ctx));
};

const editMessageCaption: MethodHandler = (ctx) => {
  const { record, stored } = editTarget(ctx);
  if (!stored.photo && !stored.document) throw badRequest("there is no caption in the message to edit");
  const parsed = parseContent(ctx.params, "caption");
  return applyEdit(ctx, record, stored, contentFields(parsed), editMarkup(ctx));
};

const editMessageReplyMarkup: MethodHandler = (ctx) => {
  const { record, stored } = editTarget(ctx);
  return applyEdit(ctx, record, stored, {}, editMarkup(ctx));
};

const deleteMessage: MethodHandler = (ctx) => {
  if (!ctx.params.has("chat_id")) throw badRequest("chat_id is empty");
  const record = ctx.state.requireChat(ctx.params.int("chat_id"));
  const messageId = ctx.params.int("message_id");
  const stored = messageId === undefined ? undefined : record.messages.get(messageId);
  if (!stored || stored.deleted) throw badRequest("message to delete not found");
  ctx.state.deleteMessage(record, stored);
  return true;
};

const sendChatAction: MethodHandler = (ctx) => {
  const record = sendTarget(ctx);
  const action = ctx.params.str("action") ?? "";
  if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
  ctx.state.log.push({ type: "chatAction", chatId: record.chat.id, action });
  return true;
};

const answerCallbackQuery: MethodHandler = (ctx) => {
  const answer: { text?: string; show_alert?: boolean; url?: string } = {};
  const text = ctx.params.str("text");
  const showAlert = ctx.params.bool("show_alert");
  const url = ctx.params.str("url");
  if (text !== undefined) answer.text = text;
  if (showAlert !== undefined) answer.show_alert = showAlert;
  if (url !== undefined) answer.url = url;
  ctx.state.answerCallbackQuery(ctx.params.str("callback_query_id") ?? "", answer);
  return true;
};

const answerInlineQuery: MethodHandler = (ctx) => {
  const answer = parseInlineAnswer(ctx.params);
  ctx.state.answerInlineQuery(ctx.params.str("inline_query_id") ?? "", answer);
  return true;
};

/** Sending, editing and deleting messages, chat actions and callback answers. */
export const messageMethods: Record<string, MethodHandler> = {
  sendMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  sendChatAction,
  answerCallbackQuery,
  answerInlineQuery,
};
