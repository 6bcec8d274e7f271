/**
 * The school's channel feed. A job plans posts (a course or event that opened, "this week at the
 * schools" on Monday morning, an event two days ahead, an event's attendance afterwards), shows
 * staff a preview they may skip, and hands each post to the outbox when its time comes, with a
 * deadline after which it is dropped. While the channel cannot be reached, admins hear of it
 * once and the feed holds its posts.
 */
import type { Db } from "../db/connection.ts";
import { enqueue, enqueueEach } from "../notify/outbox.ts";
import { admins, staffRecipients } from "../people/recipients.ts";
import { localDate, weekdayOf, zonedTimeToUtc } from "../time.ts";

export type PostKind = "open" | "week" | "soon" | "after";

export interface ChannelPost {
  key: string;
  kind: PostKind;
  courseId: number | null;
  sessionId: number | null;
  postAt: string;
  deadline: string;
  state: string;
}

const HOUR = 3600_000;
/** Staff see each post this long before it goes, time enough to skip it. */
export const PREVIEW_MS = 2 * HOUR;
/** How far back a course's opening still counts as news (no flood of old courses on day one). */
const OPEN_NEWS_MS = 3 * 24 * HOUR;

export interface FeedResult {
  planned: number;
  queued: number;
  expired: number;
  paused: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function plan(db: Db, post: Omit<ChannelPost, "state">, now: Date): boolean {
  const r = db
    .prepare(
      `INSERT INTO channel_posts (key, kind, course_id, session_id, post_at, deadline, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
    )
    .run(post.key, post.kind, post.courseId, post.sessionId, post.postAt, post.deadline, now.toISOString());
  if (r.changes === 0) return false;
  // Staff get a preview with a Skip button as soon as the post is planned.
  enqueueEach(
    db,
    staffRecipients(db),
    {
      keyPrefix: `channel-preview:${post.key}`,
      template: "publicity.channelPreview",
      params: { key: post.key },
      dueAt: now,
    },
    now,
  );
  return true;
}

/** Plans what is due between now and the preview window ahead. */
function planDue(db: Db, now: Date, timezone: string): number {
  const t = now.getTime();
  let planned = 0;
  const started = db
    .prepare("SELECT started_at FROM channel_feed_state WHERE id = 1")
    .pluck()
    .get() as string;
  // Courses and events whose enrolment opened recently (or that were added open).
  const opened = db
    .prepare(
      `SELECT c.id, COALESCE(c.enrol_opens_at, c.created_at) AS opened,
              COALESCE(c.enrol_closes_at, (SELECT MAX(s.starts_at) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled')) AS until
       FROM courses c
       WHERE c.status = 'open' AND COALESCE(c.enrol_opens_at, c.created_at) BETWEEN ? AND ?`,
    )
    .all(iso(Math.max(Date.parse(started), t - OPEN_NEWS_MS)), now.toISOString()) as Array<{
    id: number;
    opened: string;
    until: string | null;
  }>;
  for (const c of opened) {
    if (!c.until || c.until <= now.toISOString()) continue;
    const postAt = Math.max(t + PREVIEW_MS, Date.parse(c.opened) + PREVIEW_MS);
    if (
      plan(
        db,
        {
          key: `open:${c.id}`,
          kind: "open",
          courseId: c.id,
          sessionId: null,
          postAt: iso(postAt),
          deadline: c.until,
        },
        now,
      )
    )
      planned++;
  }
  // Monday 08:00 local: this week at the schools; planned from 06:00, dropped after 20:00.
  const today = localDate(now, timezone);
  if (weekdayOf(today) === 0) {
    const postAt = zonedTimeToUtc(today, "08:00", timezone);
    if (t >= postAt.getTime() - PREVIEW_MS) {
      const deadline = zonedTimeToUtc(today, "20:00", timezone).toISOString();
      if (
        deadline > now.toISOString() &&
        plan(
          db,
          {
            key: `week:${today}`,
            kind: "week",
            courseId: null,
            sessionId: null,
            postAt: postAt.toISOString(),
            deadline,
          },
          now,
        )
      )
        planned++;
    }
  }
  // Events and lectures two days ahead.
  const soon = db
    .prepare(
      `SELECT s.id, s.course_id, s.starts_at FROM sessions s JOIN courses c ON c.id = s.course_id
       WHERE c.kind IN ('event', 'lecture') AND c.status IN ('open', 'closed') AND s.status = 'scheduled'
         AND s.starts_at > ? AND s.starts_at <= ?`,
    )
    .all(now.toISOString(), iso(t + 48 * HOUR + PREVIEW_MS)) as Array<{
    id: number;
    course_id: number;
    starts_at: string;
  }>;
  for (const s of soon) {
    const postAt = Math.max(t + PREVIEW_MS, Date.parse(s.starts_at) - 48 * HOUR);
    if (
      plan(
        db,
        {
          key: `soon:${s.id}`,
          kind: "soon",
          courseId: s.course_id,
          sessionId: s.id,
          postAt: iso(postAt),
          deadline: s.starts_at,
        },
        now,
      )
    )
      planned++;
  }
  // An event's attendance, once it has been taken, within three days of the event.
  const after = db
    .prepare(
      `SELECT s.id, s.course_id, s.ends_at FROM sessions s JOIN courses c ON c.id = s.course_id
       WHERE c.kind = 'event' AND s.status = 'scheduled' AND s.ends_at <= ? AND s.ends_at > ?
         AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.status = 'present')`,
    )
    .all(now.toISOString(), iso(t - 72 * HOUR)) as Array<{ id: number; course_id: number; ends_at: string }>;
  for (const s of after) {
    const deadline = iso(Date.parse(s.ends_at) + 72 * HOUR);
    if (
      plan(
        db,
        {
          key: `after:${s.id}`,
          kind: "after",
          courseId: s.course_id,
          sessionId: s.id,
          postAt: iso(t + PREVIEW_MS),
          deadline,
        },
        now,
      )
    )
      planned++;
  }
  return planned;
}

/** Errors that mean the channel itself is out of reach, not this one post. */
const UNREACHABLE =
  /forbidden|not a member|not enough rights|chat not found|have no rights|kicked|recipient unreachable/i;

/**
 * Notices a channel post the sender could not deliver because the channel is out of reach:
 * pauses the feed, puts the post back to be sent later, and tells the admins once.
 */
function detectUnreachable(db: Db, channel: number, now: Date): number {
  const failed = db
    .prepare(
      `SELECT o.key, o.last_error FROM outbox o
       WHERE o.chat_id = ? AND o.key LIKE 'channel:%' AND o.state IN ('failed', 'cancelled')
         AND EXISTS (SELECT 1 FROM channel_posts p WHERE 'channel:' || p.key = o.key AND p.state = 'queued')`,
    )
    .all(channel) as Array<{ key: string; last_error: string | null }>;
  const lost = failed.filter((f) => UNREACHABLE.test(f.last_error ?? ""));
  if (lost.length === 0) return 0;
  const reason = lost[0]?.last_error ?? "";
  const tx = db.transaction(() => {
    const paused = db
      .prepare("SELECT paused_at FROM channel_feed_state WHERE id = 1 AND paused_at IS NOT NULL")
      .get();
    for (const f of lost) {
      // The outbox keeps one row per key: the retry after resuming needs the old row gone.
      db.prepare("DELETE FROM outbox WHERE key = ?").run(f.key);
      db.prepare("UPDATE channel_posts SET state = 'planned' WHERE 'channel:' || key = ?").run(f.key);
    }
    if (paused) return;
    db.prepare("UPDATE channel_feed_state SET paused_at = ?, reason = ? WHERE id = 1").run(
      now.toISOString(),
      reason,
    );
    enqueueEach(
      db,
      admins(db),
      {
        keyPrefix: `channel-down:${now.toISOString()}`,
        template: "publicity.channelDown",
        params: { reason },
        dueAt: now,
      },
      now,
    );
  });
  tx.immediate();
  return lost.length;
}

/** True while the feed waits for the channel to be reachable again. */
export function feedPaused(db: Db): boolean {
  return (
    db.prepare("SELECT 1 FROM channel_feed_state WHERE id = 1 AND paused_at IS NOT NULL").get() !== undefined
  );
}

/** An admin says the channel is fixed: the feed carries on with what is still worth posting. */
export function resumeFeed(db: Db): boolean {
  return (
    db.prepare("UPDATE channel_feed_state SET paused_at = NULL WHERE id = 1 AND paused_at IS NOT NULL").run()
      .changes > 0
  );
}

/** A staff member skips a planned post; false when it has already gone (or never existed). */
export function skipPost(db: Db, key: string): boolean {
  const tx = db.transaction(() => {
    const r = db
      .prepare("UPDATE channel_posts SET state = 'skipped' WHERE key = ? AND state IN ('planned', 'queued')")
      .run(key);
    if (r.changes === 0) return false;
    db.prepare("UPDATE outbox SET state = 'cancelled' WHERE key = ? AND state = 'pending'").run(
      `channel:${key}`,
    );
    return true;
  });
  return tx.immediate();
}

export function getPost(db: Db, key: string): ChannelPost | undefined {
  const row = db
    .prepare(
      "SELECT key, kind, course_id, session_id, post_at, deadline, state FROM channel_posts WHERE key = ?",
    )
    .get(key) as
    | {
        key: string;
        kind: PostKind;
        course_id: number | null;
        session_id: number | null;
        post_at: string;
        deadline: string;
        state: string;
      }
    | undefined;
  return row
    ? {
        key: row.key,
        kind: row.kind,
        courseId: row.course_id,
        sessionId: row.session_id,
        postAt: row.post_at,
        deadline: row.deadline,
        state: row.state,
      }
    : undefined;
}

/** Hands posts whose time has come to the outbox (unless the feed waits); expires late ones. */
function queueDue(db: Db, channel: number, now: Date): { queued: number; expired: number } {
  const expired = db
    .prepare("UPDATE channel_posts SET state = 'expired' WHERE state = 'planned' AND deadline <= ?")
    .run(now.toISOString()).changes;
  if (feedPaused(db)) return { queued: 0, expired };
  const due = db
    .prepare(
      "SELECT key, post_at, deadline FROM channel_posts WHERE state = 'planned' AND post_at <= ? ORDER BY post_at",
    )
    .all(now.toISOString()) as Array<{ key: string; post_at: string; deadline: string }>;
  let queued = 0;
  for (const p of due) {
    db.transaction(() => {
      enqueue(
        db,
        {
          key: `channel:${p.key}`,
          chatId: channel,
          template: "publicity.channelPost",
          params: { key: p.key },
          dueAt: now,
        },
        now,
      );
      db.prepare("UPDATE channel_posts SET state = 'queued' WHERE key = ?").run(p.key);
    }).immediate();
    queued++;
  }
  return { queued, expired };
}

/** One run of the feed: notice trouble, plan, queue. Does nothing without a channel. */
export function runChannelFeed(
  db: Db,
  options: { channel: number | undefined; timezone: string },
  now: Date,
): FeedResult {
  if (options.channel === undefined) return { planned: 0, queued: 0, expired: 0, paused: 0 };
  db.prepare("INSERT INTO channel_feed_state (id, started_at) VALUES (1, ?) ON CONFLICT (id) DO NOTHING").run(
    now.toISOString(),
  );
  const paused = detectUnreachable(db, options.channel, now);
  const planned = planDue(db, now, options.timezone);
  const { queued, expired } = queueDue(db, options.channel, now);
  // Posts that went out are marked sent, for the record.
  db.prepare(
    `UPDATE channel_posts SET state = 'sent' WHERE state = 'queued'
     AND EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'channel:' || channel_posts.key AND o.state = 'sent')`,
  ).run();
  return { planned, queued, expired, paused };
}
