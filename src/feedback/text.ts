/** Longest comment kept; longer ones are cut and the writer is told. */
export const MAX_COMMENT = 1000;

/**
 * A comment as typed, made safe to store: NFC, no control characters except new lines, at most
 * MAX_COMMENT characters. HTML is kept as typed and escaped wherever it is shown.
 */
export function boundComment(input: string): { text: string; truncated: boolean } {
  const cleaned = input
    .normalize("NFC")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .trim();
  const chars = Array.from(cleaned);
  return { text: chars.slice(0, MAX_COMMENT).join(""), truncated: chars.length > MAX_COMMENT };
}
