import { badRequest } from "./errors.ts";
import type { Params } from "./params.ts";

export type { TgInlineQuery } from "./types.ts";

/**
 * Inline mode: `@bot words` typed in any chat reaches the bot as an inline_query update; the bot
 * answers with at most 50 results whose ids are 1-64 bytes and unique. Telegram refuses anything
 * else with these 400s, so a bot that passes here passes there.
 */
export const MAX_INLINE_RESULTS = 50;
export const MAX_RESULT_ID_BYTES = 64;
export const MAX_INLINE_QUERY_CHARS = 256;

export interface InlineResult {
  type: string;
  id: string;
  title?: string;
  description?: string;
  input_message_content?: { message_text?: string; parse_mode?: string };
  reply_markup?: { inline_keyboard: Array<Array<Record<string, unknown>>> };
  [key: string]: unknown;
}

export interface InlineAnswer {
  results: InlineResult[];
  cache_time?: number;
  is_personal?: boolean;
  next_offset?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads and checks answerInlineQuery's parameters as Telegram does. */
export function parseInlineAnswer(params: Params): InlineAnswer {
  const raw = params.json("results", "can't parse inline query results JSON object");
  if (!Array.isArray(raw)) throw badRequest("can't parse inline query results JSON object");
  if (raw.length > MAX_INLINE_RESULTS) throw badRequest("RESULTS_TOO_MUCH");
  const seen = new Set<string>();
  const results = raw.map((r: unknown) => {
    if (!isObject(r) || typeof r.type !== "string" || typeof r.id !== "string") {
      throw badRequest("can't parse InlineQueryResult JSON object");
    }
    const bytes = Buffer.byteLength(r.id, "utf8");
    if (bytes < 1 || bytes > MAX_RESULT_ID_BYTES) throw badRequest("RESULT_ID_INVALID");
    if (seen.has(r.id)) throw badRequest("RESULT_ID_DUPLICATE");
    seen.add(r.id);
    if (r.type === "article") {
      if (typeof r.title !== "string" || r.title.trim() === "") throw badRequest("RESULT_TITLE_EMPTY");
      const content = r.input_message_content;
      if (
        !isObject(content) ||
        typeof content.message_text !== "string" ||
        content.message_text.trim() === ""
      ) {
        throw badRequest("MESSAGE_EMPTY");
      }
      if (content.message_text.length > 4096) throw badRequest("MESSAGE_TOO_LONG");
    }
    return r as InlineResult;
  });
  const answer: InlineAnswer = { results };
  const cache = params.int("cache_time");
  if (cache !== undefined) answer.cache_time = cache;
  const personal = params.bool("is_personal");
  if (personal !== undefined) answer.is_personal = personal;
  const next = params.str("next_offset");
  if (next !== undefined) {
    if (Buffer.byteLength(next, "utf8") > 64) throw badRequest("NEXT_OFFSET_INVALID");
    answer.next_offset = next;
  }
  return answer;
}
