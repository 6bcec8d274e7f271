import type { Locale } from "./index.ts";

/** A text the school keeps in both languages (titles, names, addresses). */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * The text in the reader's language, else the other one: a course entered with a Chinese title
 * only still shows a title to an English reader. The one way bilingual text is chosen.
 */
export function pick(
  text: { zh: string | null | undefined; en: string | null | undefined },
  lang: Locale,
): string {
  return (lang === "zh" ? text.zh : text.en) || text.zh || text.en || "";
}
