/**
 * What the demo residents said: ratings with comments (some anonymous), a few suggestions and
 * problem reports, and wishes for courses that do not exist yet.
 */
import type { Db } from "../db/connection.ts";
import type { EnrolmentPlan } from "./activity.ts";
import { DEMO_CALLIGRAPHY, DEMO_FINISHED } from "./activity.ts";
import type { Dice } from "./random.ts";
import { demoRows } from "./fixture.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PRAISE = {
  zh: [
    "老师讲得很耐心，一听就懂。",
    "学到了实用的东西，谢谢老师！",
    "每次都很期待上课。",
    "和邻居一起学，很开心。",
  ],
  en: [
    "Patient teacher, very clear.",
    "Really useful, thank you!",
    "I look forward to every class.",
    "A friendly group, great fun.",
  ],
};
const MIXED = {
  zh: ["内容不错，就是进度有点快。", "教室有点挤。"],
  en: ["Good content, but a bit fast for me.", "The room was a little crowded."],
};
const COMPLAINT = {
  zh: ["听不太清楚，希望用话筒。", "时间老是变，不方便。"],
  en: ["Hard to hear; please use a microphone.", "The times kept changing."],
};

/**
 * Ratings: most participants of the finished course (except the resident persona, who is left to
 * rate it herself) and a few participants of other courses; some with comments, some anonymous.
 * Plus two suggestions and one problem report.
 */
// Same arguments as writeAttendance (activity.ts) on purpose: demo.ts runs the writers alike.
export function writeFeedback(
  db: Db,
  dice: Dice,
  plans: readonly EnrolmentPlan[],
  ids: Map<string, number>,
  now: number,
): number {
  const rate = demoRows(db).rating;
  const rated = new Set([
    "jt-meridian",
    "pk-taichi",
    DEMO_CALLIGRAPHY,
    "dc-learning-week",
    "jt-lecture-hall",
  ]);
  const perCourse = new Map<string, number>();
  let added = 0;
  for (const p of plans) {
    if (p.status !== "enrolled" || p.person.persona) continue;
    const finished = p.course.code === DEMO_FINISHED;
    if (!finished && !rated.has(p.course.code)) continue;
    const n = perCourse.get(p.course.code) ?? 0;
    if (finished ? !dice.chance(0.85) : n >= 6 || !dice.chance(0.5)) continue;
    perCourse.set(p.course.code, n + 1);
    const stars = dice.pick([5, 5, 5, 4, 4, 4, 4, 3, 3, 2]);
    const lang = p.person.locale;
    const comment = dice.chance(0.5)
      ? dice.pick((stars >= 4 ? PRAISE : stars === 3 ? MIXED : COMPLAINT)[lang])
      : null;
    const after = finished && p.course.last_start ? Date.parse(p.course.last_start) : now - 20 * DAY;
    const created = Math.min(now - HOUR, after + dice.int(1, 12) * DAY);
    added += rate.run(
      p.course.id,
      ids.get(p.person.key)!,
      p.person.accountId,
      stars,
      comment,
      dice.chance(0.25) ? 1 : 0,
      new Date(created).toISOString(),
    ).changes;
  }

  const course = (code: string) => plans.find((p) => p.course.code === code)?.course.id ?? null;
  const notes: ReadonlyArray<
    [account: number, kind: "suggestion" | "problem", course: number | null, text: string, days: number]
  > = [
    [900003, "suggestion", null, "希望周末也能开电脑班，上班的子女可以陪老人一起来。", 6],
    [
      900012,
      "suggestion",
      course("jt-health-lectures"),
      "Could the health talks have a handout in English?",
      4,
    ],
    [900020, "problem", course(DEMO_CALLIGRAPHY), "书画室冬天有点冷，暖气不够。", 2],
  ];
  const exists = db.prepare("SELECT 1 FROM feedback WHERE account_id = ? AND kind = ? AND comment = ?");
  const insert = demoRows(db).note;
  const userExists = db.prepare("SELECT 1 FROM users WHERE id = ?");
  for (const [account, kind, courseId, text, days] of notes) {
    if (!userExists.get(account) || exists.get(account, kind, text)) continue;
    added += insert.run(kind, courseId, account, text, new Date(now - days * DAY).toISOString()).changes;
  }
  return added;
}

/**
 * A handful of wishes. Three for `language` reach the default threshold, so staff see a topic
 * in demand. `for_whom` and `when_suits` use the codes of the wish conversation
 * (WISH_WHO, WISH_WHEN in src/feedback/wish-topics.ts).
 */
export function writeWishes(db: Db, now: number): number {
  const wishes: ReadonlyArray<
    [account: number, topic: string, forWhom: string, when: string, text: string | null, days: number]
  > = [
    [900002, "language", "self", "weekday_day", "想学点简单英语，出国看孙子时能用上。", 20],
    [900008, "language", "self", "any", null, 12],
    [900019, "language", "child", "weekend", "Mandarin for my son, he is 8.", 5],
    [900014, "health", "elder", "weekday_day", "想了解老人怎么防跌倒。", 9],
    [900023, "health", "family", "weekday_day", null, 3],
    [900005, "youth", "child", "weekend", "A coding club for children on weekends.", 8],
    [900030, "other", "self", "weekday_evening", "想学做菜，烹饪课。", 15],
    [900044, "other", "self", "weekend", "手机摄影", 1],
  ];
  const exists = db.prepare("SELECT 1 FROM wishes WHERE account_id = ? AND topic = ?");
  const userExists = db.prepare("SELECT 1 FROM users WHERE id = ?");
  const insert = demoRows(db).wish;
  let added = 0;
  for (const [account, topic, forWhom, when, text, days] of wishes) {
    if (!userExists.get(account) || exists.get(account, topic)) continue;
    added += insert.run(
      account,
      topic,
      forWhom,
      when,
      text,
      new Date(now - days * DAY).toISOString(),
    ).changes;
  }
  return added;
}
