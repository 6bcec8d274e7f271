import { badRequest, forbidden, tooManyRequests } from "../errors.ts";
import type { Params } from "../params.ts";
import type { ChatRecord, EmulatorState } from "../state.ts";
import type { StoredMessage } from "../types.ts";

/** What a method handler gets for one call. */
export interface MethodContext {
  state: EmulatorState;
  params: Params;
  method: string;
  /** Aborted when the client goes away (long polls stop waiting). */
  signal: AbortSignal;
}

/** A Bot API method: returns the `result`, or throws ApiError. */
export type MethodHandler = (ctx: MethodContext) => unknown;

/** The chat a send goes to: 400 when unknown, 403 when the user blocked the bot. */
export function sendTarget(ctx: MethodContext): ChatRecord {
  if (!ctx.params.has("chat_id")) throw badRequest("chat_id is empty");
  const record = ctx.state.requireChat(ctx.params.int("chat_id"));
  if (record.blocked) throw forbidden("bot was blocked by the user");
  return record;
}

/** Spends rate-limit tokens for a counted method; 429 with retry_after when the buckets are empty. */
export function spendRate(ctx: MethodContext, chatId: number): void {
  if (!ctx.state.rateLimiter.counts(ctx.method)) return;
  const retryAfter = ctx.state.rateLimiter.take(chatId);
  if (retryAfter > 0) {
    ctx.state.stats.tooManyRequests += 1;
    throw tooManyRequests(retryAfter);
  }
}

/** reply_to_message_id or reply_parameters.message_id, checked against the chat. */
export function replyTarget(ctx: MethodContext, record: ChatRecord): number | undefined {
  const params = ctx.params.json("reply_parameters", "can't parse reply parameters JSON object") as
    | { message_id?: number; allow_sending_without_reply?: boolean }
    | undefined;
  const id = params?.message_id ?? ctx.params.int("reply_to_message_id");
  if (id === undefined) return undefined;
  const target = record.messages.get(id);
  if (target && !target.deleted) return id;
  const allow =
    params?.allow_sending_without_reply ?? ctx.params.bool("allow_sending_without_reply") ?? false;
  if (allow) return undefined;
  throw badRequest("message to be replied not found");
}

/**
 * The bot message an edit refers to. Inline messages are not emulated, so an
 * inline_message_id is always "not found".
 */
export function editTarget(ctx: MethodContext): { record: ChatRecord; stored: StoredMessage } {
  // Built only when thrown: an Error captures a stack trace, too dear for every edit.
  const notFound = () => badRequest("message to edit not found");
  if (ctx.params.has("inline_message_id")) throw notFound();
  if (!ctx.params.has("chat_id")) throw badRequest("chat_id is empty");
  const record = ctx.state.requireChat(ctx.params.int("chat_id"));
  const messageId = ctx.params.int("message_id");
  const stored = messageId === undefined ? undefined : record.messages.get(messageId);
  if (!stored || stored.deleted) throw notFound();
  if (stored.side !== "bot") throw badRequest("message can't be edited");
  if (record.blocked) throw forbidden("bot was blocked by the user");
  return { record, stored };
}
