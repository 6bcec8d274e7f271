/**
 * What a wish is about. A wish's topic is a course category code (so that it can be matched to
 * courses that open); free text is mapped to a category with the search lexicon, and kept too.
 * "太极" → exercise, "书法" → arts; text that names no known topic is "other".
 */
import { CATEGORIES, isCategory } from "../catalog/codes.ts";
import { TOPIC_GROUPS } from "../catalog/search-lexicon.ts";
import { containsWord, normalize } from "../catalog/search-parse.ts";

export const OTHER_TOPIC = "other";
export const WISH_TOPICS = [...CATEGORIES, OTHER_TOPIC] as const;

/** Lexicon groups that name a subject but no category of their own. */
const GROUP_CATEGORY: Record<string, string> = {
  tai_chi: "exercise",
  calligraphy: "arts",
  painting: "arts",
  english: "language",
  table_tennis: "sports",
  pregnancy: "parenting",
  music: "culture",
  dance: "culture",
  reading: "culture",
};

/**
 * Subjects no course teaches yet, with the category closest to them: a wish for "游泳" counts
 * towards sports, and a search for it points there. Never used to find courses (that would show
 * table tennis to someone asking for swimming).
 */
const RELATED: Record<string, readonly string[]> = {
  sports: [
    "游泳",
    "跑步",
    "篮球",
    "足球",
    "羽毛球",
    "swimming",
    "swim",
    "running",
    "basketball",
    "football",
    "badminton",
  ],
  culture: ["唱歌", "合唱", "戏曲", "京剧", "singing", "choir", "opera", "drama"],
  crafts: ["烹饪", "做饭", "烘焙", "cooking", "baking", "sewing"],
  computer: ["编程", "programming", "coding"],
};

/** The category a free-text wish is about, or "other". The longest matching word wins. */
export function topicForText(text: string): string {
  const q = normalize(text);
  let best: { topic: string; length: number } | undefined;
  for (const [topic, words] of Object.entries(RELATED)) {
    for (const word of words) {
      if (word.length > (best?.length ?? 0) && containsWord(q, word)) best = { topic, length: word.length };
    }
  }
  for (const group of TOPIC_GROUPS) {
    const topic = group.categories?.[0] ?? GROUP_CATEGORY[group.id];
    if (!topic || !isCategory(topic)) continue;
    for (const word of group.words) {
      if (word.length > (best?.length ?? 0) && containsWord(q, word)) best = { topic, length: word.length };
    }
  }
  return best?.topic ?? OTHER_TOPIC;
}

export function isWishTopic(value: unknown): value is string {
  return typeof value === "string" && (WISH_TOPICS as readonly string[]).includes(value);
}

/** Whom a wish is for and when suits; labels in feedback:wish.who.<code> and feedback:wish.when.<code>. */
export const WISH_WHO = ["self", "child", "elder", "family"] as const;
export const WISH_WHEN = ["weekday_day", "weekday_evening", "weekend", "any"] as const;
