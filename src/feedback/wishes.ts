/**
 * "What would you like to learn?" Wishes add up per topic; when a topic reaches the threshold
 * staff are told once (wish_alerts), and when a course of that topic opens the residents who
 * wished for it are told.
 */
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { staffRecipients } from "../people/recipients.ts";
import { boundComment } from "./text.ts";
import { isWishTopic, OTHER_TOPIC, topicForText } from "./wish-topics.ts";

export interface WishInput {
  accountId: number;
  /** Category codes picked on buttons. */
  topics: string[];
  /** Free text; mapped to a topic when no topic was picked. */
  text?: string | null;
  forWhom?: string | null;
  whenSuits?: string | null;
}

export interface WishResult {
  topics: string[];
  /** Topics that reached the threshold with this wish (staff were told). */
  alerted: string[];
  truncated: boolean;
}

/** People (accounts) who wished for a topic; one person wishing twice counts once. */
export function wishCount(db: Db, topic: string): number {
  return db
    .prepare(
      `SELECT COUNT(DISTINCT account_id) + (SELECT COUNT(*) FROM wishes WHERE topic = @topic AND account_id IS NULL)
       FROM wishes WHERE topic = @topic`,
    )
    .pluck()
    .get({ topic }) as number;
}

/**
 * Records a wish (one row per topic) and, for each topic that now reaches `threshold` people
 * for the first time, tells every staff member once. "other" never alerts: it is not one topic.
 */
export function addWish(db: Db, input: WishInput, threshold: number, now: Date): WishResult {
  const bounded = input.text ? boundComment(input.text) : { text: "", truncated: false };
  let topics = [...new Set(input.topics.filter(isWishTopic))];
  if (topics.length === 0) topics = [bounded.text ? topicForText(bounded.text) : OTHER_TOPIC];
  const at = now.toISOString();
  return immediate(db, () => {
    const alerted: string[] = [];
    const insert = db.prepare(
      "INSERT INTO wishes (account_id, topic, for_whom, when_suits, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (const topic of topics) {
      insert.run(
        input.accountId,
        topic,
        input.forWhom ?? null,
        input.whenSuits ?? null,
        bounded.text || null,
        at,
      );
      if (topic === OTHER_TOPIC) continue;
      const count = wishCount(db, topic);
      if (count < threshold) continue;
      const fresh = db
        .prepare(
          "INSERT INTO wish_alerts (topic, threshold, alerted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .run(topic, threshold, at).changes;
      if (!fresh) continue;
      alerted.push(topic);
      enqueueEach(
        db,
        staffRecipients(db),
        {
          keyPrefix: `wish-alert:${topic}:${threshold}`,
          template: "feedback.wishThreshold",
          params: { topic, count },
          dueAt: now,
        },
        now,
      );
    }
    return { topics, alerted, truncated: bounded.truncated };
  });
}

/**
 * Tells the residents who wished for a course's topic that it has opened (once per wish; each
 * resident gets one message per course). For the staff and import code to call when a course
 * opens. Returns how many residents were told.
 */
export function notifyWishersOfCourse(db: Db, courseId: number, now: Date): number {
  return immediate(db, () => {
    const course = db.prepare("SELECT category, status FROM courses WHERE id = ?").get(courseId) as
      | { category: string; status: string }
      | undefined;
    if (course?.status !== "open") return 0;
    const accounts = db
      .prepare(
        "SELECT DISTINCT account_id FROM wishes WHERE topic = ? AND notified_course_id IS NULL AND account_id IS NOT NULL ORDER BY account_id",
      )
      .pluck()
      .all(course.category) as number[];
    const told = enqueueEach(
      db,
      accounts,
      {
        keyPrefix: `wish-course:${courseId}`,
        template: "feedback.wishCourse",
        params: { courseId },
        dueAt: now,
      },
      now,
    );
    db.prepare("UPDATE wishes SET notified_course_id = ? WHERE topic = ? AND notified_course_id IS NULL").run(
      courseId,
      course.category,
    );
    return told;
  });
}

export interface TopWish {
  topic: string;
  people: number;
  /** A few of the free texts, raw (escape when shown). */
  samples: string[];
}

/** The most wished-for topics, by people; for staff. */
export function topWishes(db: Db, limit = 10): TopWish[] {
  const rows = db
    .prepare(
      `SELECT topic, COUNT(DISTINCT COALESCE(account_id, -id)) AS people FROM wishes
       GROUP BY topic ORDER BY people DESC, topic LIMIT ?`,
    )
    .all(limit) as { topic: string; people: number }[];
  const samples = db.prepare(
    "SELECT text FROM wishes WHERE topic = ? AND text IS NOT NULL AND text <> '' GROUP BY text ORDER BY MAX(id) DESC LIMIT 3",
  );
  return rows.map((r) => ({ ...r, samples: samples.pluck().all(r.topic) as string[] }));
}
