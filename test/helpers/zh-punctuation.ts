/**
 * Finds half-width punctuation touching Chinese (a space between counts as touching:
 * "课程 (12/20)" is as much a slip as "课程(12/20)"). Commands, placeholders and markup are
 * left out of the check.
 */
const CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff";
const HALF = "(),:;?!";
const SLIP = new RegExp(`[${CJK}] ?[${HALF}]|[${HALF}] ?[${CJK}]`, "gu");

/** The text a reader sees as prose: without tags, <code> spans, placeholders and /commands. */
const prose = (s: string): string =>
  s
    .replace(/<code>[\s\S]*?<\/code>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\{\{[^}]+\}\}/g, " ")
    .replace(/\/[a-z_]+/g, " ");

/** The places in a text where half-width punctuation touches Chinese. */
export function halfWidthSlips(text: string): string[] {
  const p = prose(text);
  return [...p.matchAll(SLIP)].map((m) => p.slice(Math.max(0, m.index - 4), m.index + 6));
}
