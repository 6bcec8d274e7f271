/**
 * Which HTML Telegram accepts in a message sent with parse_mode "HTML". The staff broadcast check
 * and the sandbox's Bot API emulator both go by this, so they cannot drift apart.
 */

import { graphemes } from "./text.ts";

/** The tags Telegram parses; any other tag makes it refuse the whole message. */
export const TELEGRAM_HTML_TAGS: ReadonlySet<string> = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "code",
  "pre",
  "tg-spoiler",
  "span",
  "blockquote",
  "tg-emoji",
]);

/**
 * The named character references Telegram decodes, and the character each stands for; any other
 * `&name;` is left as it was typed. (A Map, so a name like "constructor" is never found by accident.)
 */
export const TELEGRAM_NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
]);

/** Telegram's limit for a message's text after entity parsing, in UTF-16 code units. */
export const MESSAGE_LIMIT = 4096;
/** Telegram's limit for a caption after entity parsing. */
export const CAPTION_LIMIT = 1024;

/** One piece of HTML: a tag, a character reference, or one grapheme of text. */
interface Token {
  raw: string;
  /** UTF-16 units it adds to the parsed text. */
  units: number;
  open?: { name: string; raw: string };
  close?: string;
}

function* tokens(html: string): Generator<Token> {
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === "<") {
      const end = html.indexOf(">", i);
      const raw = end < 0 ? html.slice(i) : html.slice(i, end + 1);
      i += raw.length;
      const m = /^<(\/?)([a-zA-Z][\w-]*)/.exec(raw);
      const name = (m?.[2] ?? "").toLowerCase();
      if (m?.[1]) yield { raw, units: 0, close: name };
      else if (m) yield { raw, units: 0, open: { name, raw } };
      else yield { raw, units: 0 };
      continue;
    }
    if (ch === "&") {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      if (m) {
        i += m[0].length;
        const ref = m[1] ?? "";
        const code = ref.startsWith("#x")
          ? Number.parseInt(ref.slice(2), 16)
          : ref.startsWith("#")
            ? Number(ref.slice(1))
            : undefined;
        const decoded =
          code === undefined ? (TELEGRAM_NAMED_ENTITIES.get(ref) ?? m[0]) : String.fromCodePoint(code);
        yield { raw: m[0], units: decoded.length };
        continue;
      }
    }
    // Text up to the next tag or reference, one grapheme at a time.
    let next = i;
    while (next < html.length && html[next] !== "<" && html[next] !== "&") next++;
    if (next === i) next = i + 1;
    for (const g of graphemes(html.slice(i, next))) yield { raw: g, units: g.length };
    i = next;
  }
}

/** How long Telegram counts the message: its text after the tags are removed and references decoded. */
export function parsedLength(html: string): number {
  let n = 0;
  for (const t of tokens(html)) n += t.units;
  return n;
}

interface Cut {
  /** Index into the HTML where the first part ends. */
  at: number;
  /** Tags open at that point, outermost first. */
  open: { name: string; raw: string }[];
}

/**
 * Where to end a part whose parsed text may take `budget` units: the last line break outside
 * every tag if it keeps at least half the budget, else the last grapheme boundary outside a tag
 * (the caller closes the tags still open there). Undefined when everything fits.
 */
function findCut(html: string, budget: number): Cut | undefined {
  let units = 0;
  let pos = 0;
  const stack: { name: string; raw: string }[] = [];
  let line: { at: number; units: number } | undefined;
  let last: Cut = { at: 0, open: [] };
  for (const t of tokens(html)) {
    if (t.units > 0 && units + t.units > budget) {
      return line && line.units >= budget / 2 ? { at: line.at, open: [] } : last;
    }
    if (t.raw === "\n" && stack.length === 0) line = { at: pos, units };
    units += t.units;
    if (t.open) stack.push(t.open);
    if (t.close) {
      const idx = stack.map((o) => o.name).lastIndexOf(t.close);
      if (idx >= 0) stack.splice(idx, 1);
    }
    pos += t.raw.length;
    if (!t.open) last = { at: pos, open: [...stack] };
  }
  return undefined;
}

const closing = (open: { name: string }[]): string =>
  open
    .slice()
    .reverse()
    .map((o) => `</${o.name}>`)
    .join("");

/**
 * Text within Telegram's limit (counted as Telegram does, after parsing), cut at a line break
 * outside every tag when one is near the end, else between graphemes with the open tags closed,
 * with "…" to show something was cut. Never cuts through a tag, a reference or a grapheme.
 */
export function fitMessage(text: string, limit = MESSAGE_LIMIT): string {
  if (text.length <= limit) return text;
  const cut = findCut(text, limit - 2);
  if (!cut) return text;
  return `${text.slice(0, cut.at)}${closing(cut.open)}\n…`;
}

/**
 * The message as parts that each fit Telegram's limit, cut as `fitMessage` cuts; a tag open at a
 * cut is closed at the end of one part and opened again at the start of the next.
 */
export function splitMessage(text: string, limit = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  let reopen = "";
  while (rest.length > 0) {
    const whole = reopen + rest;
    const cut = whole.length <= limit ? undefined : findCut(whole, limit);
    if (!cut || cut.at <= reopen.length) {
      parts.push(whole);
      break;
    }
    parts.push(whole.slice(0, cut.at) + closing(cut.open));
    reopen = cut.open.map((o) => o.raw).join("");
    rest = whole.slice(cut.at).replace(/^\n/, "");
  }
  return parts.filter((p) => parsedLength(p) > 0 || p === text);
}

/** Escapes text (user text, names from the database) for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
