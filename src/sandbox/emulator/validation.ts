import { badRequest } from "./errors.ts";
import type { FormattedText } from "../../telegram-html-parser.ts";
import { parseHtml, TelegramHtmlError, trimFormatted } from "../../telegram-html-parser.ts";
import type { Params } from "./params.ts";
import type { TgInlineButton, TgKeyboardButton, TgMessageEntity, TgReplyMarkup } from "./types.ts";

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
export const MAX_CALLBACK_DATA_BYTES = 64;

const MARKUP_JSON_ERROR = "can't parse reply keyboard markup JSON object";

const INLINE_ACTIONS = [
  "callback_data",
  "url",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Drops null/undefined fields, as Telegram does when it stores an object. */
function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function rowsOf(value: unknown, field: string, type: string): unknown[][] {
  if (!Array.isArray(value) || !value.every((row) => Array.isArray(row))) {
    throw badRequest(`field "${field}" of the ${type} should be an Array of Arrays`);
  }
  return value as unknown[][];
}

function inlineButton(raw: unknown): TgInlineButton {
  if (!isObject(raw))
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof raw.text !== "string")
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  const button = compact(raw) as TgInlineButton;
  if (!INLINE_ACTIONS.some((key) => button[key] !== undefined)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (button.callback_data !== undefined) {
    const data = button.callback_data;
    // The limit is in UTF-8 bytes: ten Chinese characters already take 30.
    const bytes = typeof data === "string" ? Buffer.byteLength(data, "utf8") : 0;
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest("BUTTON_DATA_INVALID");
  }
  if (
    button.url !== undefined &&
    (typeof button.url !== "string" || button.url === "" || /\s/.test(button.url))
  ) {
    throw badRequest("BUTTON_URL_INVALID");
  }
  return button;
}

function keyboardButton(raw: unknown): TgKeyboardButton {
  if (typeof raw === "string") return { text: raw };
  if (!isObject(raw) || typeof raw.text !== "string") {
    throw badRequest('can\'t parse keyboard button: Field "text" must be of type String');
  }
  return compact(raw) as TgKeyboardButton;
}

/**
 * Validates reply_markup loosely but with Telegram's error texts, and
 * normalizes it (string keyboard buttons become { text }, nulls dropped).
 * Accepts the object or its JSON string (form uploads).
 */
export function parseReplyMarkup(params: Params): TgReplyMarkup | undefined {
  const raw = params.json("reply_markup", MARKUP_JSON_ERROR);
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) throw badRequest(MARKUP_JSON_ERROR);
  if ("inline_keyboard" in raw) {
    const rows = rowsOf(raw.inline_keyboard, "inline_keyboard", "InlineKeyboardMarkup");
    return { inline_keyboard: rows.map((row) => row.map(inlineButton)).filter((row) => row.length > 0) };
  }
  if ("keyboard" in raw) {
    const rows = rowsOf(raw.keyboard, "keyboard", "ReplyKeyboardMarkup");
    const { keyboard: _ignored, ...rest } = compact(raw);
    return { ...rest, keyboard: rows.map((row) => row.map(keyboardButton)).filter((row) => row.length > 0) };
  }
  if (raw.remove_keyboard === true) return compact({ ...raw, remove_keyboard: true as const });
  if (raw.force_reply === true) return compact({ ...raw, force_reply: true as const });
  throw badRequest(MARKUP_JSON_ERROR);
}

/** True when the markup is an inline keyboard with at least one button. */
export function hasInlineKeyboard(
  markup: TgReplyMarkup | undefined,
): markup is { inline_keyboard: TgInlineButton[][] } {
  return (
    markup !== undefined &&
    "inline_keyboard" in markup &&
    markup.inline_keyboard.some((row) => row.length > 0)
  );
}

function entitiesParam(params: Params, name: string): TgMessageEntity[] {
  const raw = params.json(name, `can't parse entities JSON object`);
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest(`field "${name}" must be an Array`);
  return raw.filter(isObject).map((e) => compact(e) as unknown as TgMessageEntity);
}

/** Parsed text or caption, plus the original when HTML was used. */
export interface ParsedContent extends FormattedText {
  html?: string;
  parse_mode?: string;
}

/**
 * Parses `text` or `caption` with its parse_mode and applies Telegram's
 * limits. Lengths are counted in UTF-16 code units (Telegram's entity unit),
 * which is never looser than the server, so a bot passing here passes there.
 */
export function parseContent(params: Params, kind: "text" | "caption"): ParsedContent {
  const field = kind === "text" ? "text" : "caption";
  const source = params.str(field) ?? "";
  const parseMode = params.str("parse_mode");
  let parsed: FormattedText;
  if (parseMode === undefined || parseMode === "") {
    parsed = trimFormatted({
      text: source,
      entities: entitiesParam(params, kind === "text" ? "entities" : "caption_entities"),
    });
  } else if (parseMode.toLowerCase() === "html") {
    try {
      parsed = parseHtml(source);
    } catch (err) {
      throw err instanceof TelegramHtmlError ? badRequest(err.message) : err;
    }
  } else if (parseMode.toLowerCase() === "markdownv2" || parseMode.toLowerCase() === "markdown") {
    // Markdown is kept as plain text: the project formats with HTML.
    parsed = trimFormatted({ text: source, entities: [] });
  } else {
    throw badRequest("unsupported parse_mode");
  }
  if (kind === "text" && parsed.text === "") throw badRequest("message text is empty");
  if (kind === "text" && parsed.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
  if (kind === "caption" && parsed.text.length > MAX_CAPTION_LENGTH)
    throw badRequest("message caption is too long");
  const result: ParsedContent = { ...parsed };
  if (parseMode) {
    result.parse_mode = parseMode;
    if (parseMode.toLowerCase() === "html") result.html = source;
  }
  return result;
}

/** Key-order-independent JSON, for "is this markup the same" checks. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Telegram reads every string as UTF-8 and refuses one that is not: a lone surrogate (half an
 * emoji, left by a cut through it) arrives as invalid UTF-8.
 */
export function assertWellFormed(params: Params): void {
  const check = (value: unknown): void => {
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) throw badRequest("strings must be encoded in UTF-8");
    } else if (Array.isArray(value)) {
      for (const v of value) check(v);
    } else if (isObject(value)) {
      for (const v of Object.values(value)) check(v);
    }
  };
  check(params.fields);
}
