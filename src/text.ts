/**
 * Shortening text that people typed or read. Telegram refuses a message with half a surrogate
 * pair, and a cut through an emoji sequence or a combining mark shows garbage, so every cut of
 * user-visible text is made between graphemes (what a reader sees as one character).
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The text's graphemes, in order. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** How many graphemes the text has (what a person would count as its length). */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/**
 * The text cut to at most `max` graphemes, the last of them `ellipsis` when anything was cut.
 * A text that fits is returned as it is.
 */
export function cutText(text: string, max: number, ellipsis = "…"): string {
  if (text.length <= max) return text;
  const parts = graphemes(text);
  if (parts.length <= max) return text;
  const keep = Math.max(0, max - graphemeLength(ellipsis));
  return parts.slice(0, keep).join("") + ellipsis;
}

/**
 * The text cut between graphemes so that its UTF-16 length (how Telegram and Excel count) is at
 * most `maxUnits`, ending in `ellipsis` when anything was cut.
 */
export function cutToUnits(text: string, maxUnits: number, ellipsis = "…"): string {
  if (text.length <= maxUnits) return text;
  const budget = Math.max(0, maxUnits - ellipsis.length);
  let out = "";
  for (const g of graphemes(text)) {
    if (out.length + g.length > budget) break;
    out += g;
  }
  return out + ellipsis;
}
