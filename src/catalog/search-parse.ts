/**
 * Understands what a resident types into the chat: topics (with synonyms in both languages),
 * an age, who the course is for, and when it should be. Pure: no database.
 */

import type { TopicGroup, Who } from "./search-lexicon.ts";
import { STOP_WORDS, TIME_WORDS, TOPIC_GROUPS, WHO_WORDS } from "./search-lexicon.ts";

export interface ParsedQuery {
  /** The query as typed, trimmed. */
  text: string;
  /** Topic groups recognised, each with the word that named it. */
  topics: Array<{ group: TopicGroup; word: string }>;
  /** Left-over words that must be found in a course's own text. */
  terms: string[];
  age: number | null;
  who: Who | null;
  /** Local weekdays (0 = Monday) wanted; null = any. */
  weekdays: number[] | null;
  /** Day slots (0 morning, 1 afternoon, 2 evening) wanted; null = any. */
  slots: number[] | null;
}

type Entry =
  | { phrase: string; kind: "topic"; group: TopicGroup }
  | { phrase: string; kind: "who"; who: Who }
  | { phrase: string; kind: "time"; weekdays?: readonly number[]; slot?: number }
  | { phrase: string; kind: "stop" };

const ENTRIES: Entry[] = [
  ...TOPIC_GROUPS.flatMap((group) => group.words.map((phrase): Entry => ({ phrase, kind: "topic", group }))),
  ...(Object.entries(WHO_WORDS) as Array<[Who, readonly string[]]>).flatMap(([who, words]) =>
    words.map((phrase): Entry => ({ phrase, kind: "who", who })),
  ),
  ...TIME_WORDS.flatMap((t) =>
    t.words.map(
      (phrase): Entry => ({
        phrase,
        kind: "time",
        ...(t.weekdays ? { weekdays: t.weekdays } : {}),
        ...(t.slot !== undefined ? { slot: t.slot } : {}),
      }),
    ),
  ),
  ...STOP_WORDS.map((phrase): Entry => ({ phrase, kind: "stop" })),
].sort((a, b) => b.phrase.length - a.phrase.length);

const ASCII_WORD = /^[a-z0-9][a-z0-9' -]*$/;

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 七 → 7, 十二 → 12, 七十 → 70, 七十五 → 75, 一百 → 100; undefined when it is not a number up to 120. */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === "一百") return 100;
  const m = /^([一二两三四五六七八九])?(十)?([零〇一二三四五六七八九])?$/.exec(s);
  if (!m || s === "") return undefined;
  const [, tens, ten, ones] = m;
  if (ten === undefined) return tens !== undefined && ones === undefined ? CN_DIGITS[tens] : undefined;
  return (
    (tens !== undefined ? (CN_DIGITS[tens] ?? 0) : 1) * 10 + (ones !== undefined ? (CN_DIGITS[ones] ?? 0) : 0)
  );
}

const AGE_PATTERNS: RegExp[] = [
  /(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})\s*多?\s*(?:周岁|岁)(?:半)?/,
  /(\d{1,3})\s*-?\s*(?:years?|yrs?)\s*-?\s*old/,
  /\baged?\s+(\d{1,3})\b/,
  /\b(\d{1,3})\s*(?:yo|y\/o|y\.o\.)(?![a-z])/,
  /\b(\d{1,3})\s*(?:years?|yrs?)\b/,
  // A bare number is an age only when it stands alone: not "a1", "x1y" or the "1" of "<i>1</i>".
  /(?<![\da-z<>/])(\d{1,3})(?![\da-z<>/])/,
];

/** Lower-case, full-width to half-width, punctuation to spaces. */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[，。、！？；：,.!?;:()（）【】[\]"“”《》~～/\\|+*#@&]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** True when `word` occurs in `text`: whole words for Latin script, anywhere for Chinese. */
export function containsWord(text: string, word: string): boolean {
  if (!ASCII_WORD.test(word)) return text.includes(word);
  let from = 0;
  for (;;) {
    const i = text.indexOf(word, from);
    if (i < 0) return false;
    const before = text[i - 1];
    const after = text[i + word.length];
    if (
      (before === undefined || !/[a-z0-9]/.test(before)) &&
      (after === undefined || !/[a-z0-9]/.test(after))
    )
      return true;
    from = i + 1;
  }
}

function takeAge(s: string): { age: number | null; rest: string } {
  for (const re of AGE_PATTERNS) {
    const m = re.exec(s);
    const n = m?.[1] !== undefined ? chineseNumber(m[1]) : undefined;
    if (m && n !== undefined && n >= 0 && n <= 110) {
      return { age: n, rest: `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}` };
    }
  }
  return { age: null, rest: s };
}

/** Removes every whole-word occurrence of `phrase`; returns how many were removed. */
function cut(state: { s: string }, phrase: string): number {
  let n = 0;
  for (;;) {
    const ascii = ASCII_WORD.test(phrase);
    let at = -1;
    let from = 0;
    while (from <= state.s.length) {
      const i = state.s.indexOf(phrase, from);
      if (i < 0) break;
      const before = state.s[i - 1];
      const after = state.s[i + phrase.length];
      const edge = (c: string | undefined) => c === undefined || !/[a-z0-9]/.test(c);
      if (!ascii || (edge(before) && edge(after))) {
        at = i;
        break;
      }
      from = i + 1;
    }
    if (at < 0) return n;
    state.s = `${state.s.slice(0, at)} ${state.s.slice(at + phrase.length)}`;
    n++;
  }
}

/** Reads a free-text query; the parts it does not recognise become search terms. */
export function parseQuery(text: string): ParsedQuery {
  // Markup typed or pasted (<b>x</b>) is not part of what the person asked for.
  const { age, rest } = takeAge(normalize(text.replace(/<\/?[a-z][^<>]*>/gi, " ")));
  const state = { s: rest.replace(/(\d)\s*-\s*(?=[a-z])/g, "$1 ") };
  const topics: ParsedQuery["topics"] = [];
  let who: Who | null = null;
  let weekdays: Set<number> | null = null;
  let slots: Set<number> | null = null;
  for (const e of ENTRIES) {
    if (cut(state, e.phrase) === 0) continue;
    if (e.kind === "topic") {
      if (!topics.some((t) => t.group.id === e.group.id)) topics.push({ group: e.group, word: e.phrase });
    } else if (e.kind === "who") who ??= e.who;
    else if (e.kind === "time") {
      if (e.weekdays) weekdays = new Set([...(weekdays ?? []), ...e.weekdays]);
      if (e.slot !== undefined) slots = new Set([...(slots ?? []), e.slot]);
    }
  }
  const terms = state.s
    .split(" ")
    .map((w) => w.replace(/^-+|-+$/g, ""))
    .filter((w) => (/[a-z]/.test(w) ? w.length >= 3 : /[\u3400-\u9fff]/.test(w) && w.length >= 2))
    .map((w) => (/^[a-z]+s$/.test(w) && w.length > 4 ? w.slice(0, -1) : w));
  return {
    text: text.trim(),
    topics,
    terms: [...new Set(terms)],
    age,
    who,
    weekdays: weekdays ? [...weekdays].sort() : null,
    slots: slots ? [...slots].sort() : null,
  };
}

/** True when the query asked for anything at all. */
export function isEmptyQuery(q: ParsedQuery): boolean {
  return (
    q.topics.length === 0 &&
    q.terms.length === 0 &&
    q.age === null &&
    q.who === null &&
    !q.weekdays &&
    !q.slots
  );
}

const CN_WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
const CN_SLOTS = ["上午", "下午", "晚上"];

/**
 * The query boiled down to the words that matter ("英语 7岁 周末 上午"), which parses back to
 * the same constraints: short enough to travel in callback data when the typed text is not.
 */
export function canonicalQuery(q: ParsedQuery): string {
  const parts = [...q.topics.map((t) => t.word), ...q.terms];
  if (q.age !== null) parts.push(`${q.age}岁`);
  else if (q.who) parts.push(q.who === "child" ? "孩子" : "老人");
  const days = q.weekdays?.join(",");
  if (days === "5,6") parts.push("周末");
  else if (days === "0,1,2,3,4") parts.push("工作日");
  else if (q.weekdays) parts.push(...q.weekdays.map((d) => CN_WEEKDAYS[d] ?? ""));
  if (q.slots) parts.push(...q.slots.map((s) => CN_SLOTS[s] ?? ""));
  return parts.join(" ");
}
