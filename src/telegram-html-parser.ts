/**
 * Telegram-flavoured HTML parsed the way the Bot API parses it (tdlib's rules and error texts).
 * The one parser of the project: the sandbox's emulator answers with it and the staff broadcast
 * check goes by it, so what staff may send and what the emulator accepts cannot drift apart.
 */
import { TELEGRAM_HTML_TAGS, TELEGRAM_NAMED_ENTITIES } from "./telegram-html.ts";

/** A formatting entity as the Bot API reports it (UTF-16 offsets). */
export interface TgMessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

/** Markup Telegram would refuse; the message is Telegram's own "can't parse entities: …". */
export class TelegramHtmlError extends Error {
  constructor(detail: string) {
    super(`can't parse entities: ${detail}`);
    this.name = "TelegramHtmlError";
  }
}

/** Text and entities after Telegram has parsed and cleaned a message. */
export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

const SIMPLE_ENTITY: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  code: "code",
};

interface OpenTag {
  name: string;
  start: number;
  attrs: Map<string, string>;
  /** Set on a <pre> by an inner <code class="language-x">, as Telegram merges the two. */
  language?: string;
}

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";

// Telegram reports positions in UTF-8 bytes of the original text.
const byteOffset = (s: string, pos: number): number => Buffer.byteLength(s.slice(0, pos), "utf8");

function fail(detail: string): never {
  throw new TelegramHtmlError(detail);
}

/** Decodes one HTML entity at `i`; null when it is not one Telegram knows (then '&' stays literal). */
function decodeEntity(s: string, i: number): { char: string; next: number } | null {
  const numeric = /^&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});?/.exec(s.slice(i, i + 14));
  if (numeric?.[1] !== undefined) {
    const digits = numeric[1];
    const code = digits.startsWith("x") ? Number.parseInt(digits.slice(1), 16) : Number.parseInt(digits, 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
    return { char: String.fromCodePoint(code), next: i + numeric[0].length };
  }
  const named = /^&([a-zA-Z]{2,4});/.exec(s.slice(i, i + 7));
  const char = named?.[1] === undefined ? undefined : TELEGRAM_NAMED_ENTITIES.get(named[1]);
  if (char === undefined || named === null) return null;
  return { char, next: i + named[0].length };
}

/** Reads the attributes of a start tag from `i` up to and including '>'. */
function readAttributes(
  s: string,
  i: number,
  tag: string,
  begin: number,
): { attrs: Map<string, string>; next: number } {
  const attrs = new Map<string, string>();
  const at = byteOffset(s, begin);
  while (s[i] !== ">") {
    while (isSpace(s[i])) i++;
    if (i >= s.length) fail(`Unclosed start tag at byte offset ${at}`);
    if (s[i] === ">") break;
    const nameStart = i;
    while (i < s.length && !isSpace(s[i]) && s[i] !== "=" && s[i] !== ">") i++;
    const name = s.slice(nameStart, i).toLowerCase();
    if (name === "") fail(`Empty attribute name in the tag "${tag}" at byte offset ${at}`);
    while (isSpace(s[i])) i++;
    if (s[i] !== "=") {
      // Telegram accepts a bare flag only for <blockquote expandable>.
      if (name === "expandable" && tag === "blockquote") {
        attrs.set(name, "");
        continue;
      }
      fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${at}`);
    }
    i++;
    while (isSpace(s[i])) i++;
    if (i >= s.length) fail(`Unclosed start tag at byte offset ${at}`);
    let raw: string;
    const quote = s[i];
    if (quote === '"' || quote === "'") {
      const end = s.indexOf(quote, i + 1);
      if (end < 0) fail(`Unclosed start tag at byte offset ${at}`);
      raw = s.slice(i + 1, end);
      i = end + 1;
    } else {
      const valueStart = i;
      while (i < s.length && !isSpace(s[i]) && s[i] !== ">") i++;
      raw = s.slice(valueStart, i);
    }
    attrs.set(name, decodeText(raw));
  }
  return { attrs, next: i + 1 };
}

function decodeText(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const decoded = raw[i] === "&" ? decodeEntity(raw, i) : null;
    if (decoded) {
      out += decoded.char;
      i = decoded.next;
    } else {
      out += raw[i];
      i++;
    }
  }
  return out;
}

function closeEntity(open: OpenTag, out: string, parent: OpenTag | undefined): TgMessageEntity | null {
  const length = out.length - open.start;
  if (open.name === "code" && parent?.name === "pre") {
    const cls = open.attrs.get("class");
    if (cls?.startsWith("language-")) {
      parent.language = cls.slice("language-".length);
      return null;
    }
  }
  if (length <= 0) return null;
  const base = { offset: open.start, length };
  switch (open.name) {
    case "a": {
      const url = open.attrs.get("href") ?? out.slice(open.start);
      return url === "" ? null : { type: "text_link", ...base, url };
    }
    case "pre":
      return open.language ? { type: "pre", ...base, language: open.language } : { type: "pre", ...base };
    case "blockquote":
      return { type: open.attrs.has("expandable") ? "expandable_blockquote" : "blockquote", ...base };
    case "tg-emoji": {
      const id = open.attrs.get("emoji-id");
      return id ? { type: "custom_emoji", ...base, custom_emoji_id: id } : null;
    }
    default: {
      const type = SIMPLE_ENTITY[open.name];
      return type ? { type, ...base } : null;
    }
  }
}

/**
 * Parses Telegram-flavoured HTML the way the Bot API does (tdlib's rules and
 * error texts), returning plain text plus UTF-16 entities.
 * @throws TelegramHtmlError on bad markup (the emulator answers it as a 400).
 */
export function parseHtml(html: string): FormattedText {
  let out = "";
  const stack: OpenTag[] = [];
  const entities: TgMessageEntity[] = [];
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === "&") {
      const decoded = decodeEntity(html, i);
      if (decoded) {
        out += decoded.char;
        i = decoded.next;
        continue;
      }
      // An unknown "&name;" is kept as typed; an "&" that starts no reference must be &amp;.
      if (!/^&#?[a-zA-Z0-9]+;/.test(html.slice(i, i + 34)))
        fail(`Character "&" must be escaped as "&amp;" at byte offset ${byteOffset(html, i)}`);
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    i++;
    if (html[i] !== "/") {
      while (i < html.length && !isSpace(html[i]) && html[i] !== ">") i++;
      if (i >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(html, begin)}`);
      const name = html.slice(begin + 1, i).toLowerCase();
      if (!TELEGRAM_HTML_TAGS.has(name))
        fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(html, begin)}`);
      const { attrs, next } = readAttributes(html, i, name, begin);
      i = next;
      if (name === "span" && attrs.get("class") !== "tg-spoiler") {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(html, begin)}`);
      }
      stack.push({ name, start: out.length, attrs });
      continue;
    }
    const top = stack.pop();
    if (top === undefined) fail(`Unexpected end tag at byte offset ${byteOffset(html, begin)}`);
    while (i < html.length && !isSpace(html[i]) && html[i] !== ">") i++;
    const endName = html.slice(begin + 2, i).toLowerCase();
    while (isSpace(html[i])) i++;
    if (html[i] !== ">") fail(`Unclosed end tag at byte offset ${byteOffset(html, begin)}`);
    i++;
    if (endName !== "" && endName !== top.name) {
      fail(
        `Unmatched end tag at byte offset ${byteOffset(html, begin)}, expected "</${top.name}>", found "</${endName}>"`,
      );
    }
    const entity = closeEntity(top, out, stack[stack.length - 1]);
    if (entity) entities.push(entity);
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return trimFormatted({ text: out, entities });
}

/**
 * Strips leading and trailing whitespace as Telegram does and clips entities
 * to what remains, dropping those left empty; entities end up sorted by
 * offset, longer first.
 */
export function trimFormatted(input: FormattedText): FormattedText {
  const lead = input.text.length - input.text.replace(/^[ \t\r\n]+/, "").length;
  const text = input.text.trim() === "" ? "" : input.text.slice(lead).replace(/[ \t\r\n]+$/, "");
  const entities: TgMessageEntity[] = [];
  for (const e of input.entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(text.length, e.offset + e.length - lead);
    if (end > start) entities.push({ ...e, offset: start, length: end - start });
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}
