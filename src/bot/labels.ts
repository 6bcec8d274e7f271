/**
 * Button labels with people's text in them. A label is cut in its title, never in what follows
 * it ("Computer Basics for Se… (12/20)", not "…Seniors (12…"), and two buttons on one keyboard
 * never read the same when their titles differ.
 */
import { cutText, graphemeLength, graphemes } from "../text.ts";

/** A longest label, in graphemes: 40 Latin characters fit a full-width button on a phone. */
export const BUTTON_MAX = 40;

/** Chinese characters are twice as wide: about 22 fit where 40 Latin ones do. */
export const buttonMax = (locale: string): number => (locale === "zh" ? 22 : BUTTON_MAX);

/** `title` cut so that `title + suffix` fits in `max` graphemes; the suffix is kept whole. */
export function buttonLabel(title: string, suffix = "", max = BUTTON_MAX): string {
  const room = Math.max(2, max - graphemeLength(suffix));
  return cutText(title, room) + suffix;
}

/** The title shortened in its middle: its start and its end stay readable. */
function middleCut(title: string, room: number): string {
  const parts = graphemes(title);
  if (parts.length <= room) return title;
  const tail = Math.max(1, Math.floor((room - 1) / 2));
  const head = Math.max(1, room - 1 - tail);
  return `${parts.slice(0, head).join("")}…${parts.slice(parts.length - tail).join("")}`;
}

/**
 * Labels for a list of buttons, each `title + suffix` within `max`. Where cutting the end makes
 * two different titles read the same, those are cut in the middle instead (their ends usually
 * differ: "…(Tuesday)", "…(Thursday)"); any still alike get a number.
 */
export function distinctLabels(items: { title: string; suffix?: string }[], max = BUTTON_MAX): string[] {
  const room = (i: number) => Math.max(3, max - graphemeLength(items[i]!.suffix ?? ""));
  const titles = items.map((item, i) => cutText(item.title, room(i)));
  // Compared without the suffix: "Computer Basics… (12/20)" and "Computer Basics… (3/20)" are
  // still two buttons a reader cannot tell apart.
  const head = (i: number, n: number) => graphemes(items[i]!.title).slice(0, n).join("");
  const clashing = titles.map((t, i) =>
    items.some((other, j) => {
      if (j === i || other.title === items[i]!.title) return false;
      if (t === items[i]!.title && titles[j] === other.title) return false; // neither was cut
      const n = Math.min(room(i), room(j)) - 1;
      return head(i, n) === head(j, n);
    }),
  );
  for (const [i, item] of items.entries()) if (clashing[i]) titles[i] = middleCut(item.title, room(i));
  const seen = new Map<string, number>();
  return items.map((item, i) => {
    const suffix = item.suffix ?? "";
    const n = (seen.get(titles[i]!) ?? 0) + 1;
    seen.set(titles[i]!, n);
    return n === 1 ? titles[i]! + suffix : buttonLabel(item.title, ` ·${n}${suffix}`, max);
  });
}

/** "（12/20）" in Chinese, " (12/20)" in English: Chinese text takes full-width brackets. */
export const paren = (locale: string, text: string | number): string =>
  locale === "zh" ? `（${text}）` : ` (${text})`;

/** "：" in Chinese, ": " in English. */
export const colon = (locale: string): string => (locale === "zh" ? "：" : ": ");
