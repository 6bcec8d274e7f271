import { describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { getPost, runChannelFeed } from "../../src/publicity/channel-feed.ts";
import { channelPostText } from "../../src/publicity/channel-text.ts";

const TZ = "Asia/Shanghai";
const CHANNEL = -1001234567890;
const HOUR = 3600_000;

describe("what the channel feed plans", async () => {
  const i18n = await createI18n("zh");
  const db = openDatabase(":memory:");
  migrate(db);
  importCatalogFile(db, "data/catalog.yaml", { timezone: TZ, now: new Date("2026-07-01T00:00:00.000Z") });
  const run = (at: string) => runChannelFeed(db, { channel: CHANNEL, timezone: TZ }, new Date(at));
  const text = (key: string, at: string) =>
    channelPostText(
      { db, t: i18n.getFixedT("zh"), locale: "zh", timezone: TZ, now: new Date(at), botUsername: "b" },
      getPost(db, key)!,
    );
  run("2026-08-01T00:00:00.000Z");

  it("this week at the schools: planned early on Monday, posted at 08:00 local, listing what starts", () => {
    // Monday 7 September 2026, 06:30 in Shanghai.
    expect(run("2026-09-06T22:30:00.000Z").planned).toBeGreaterThanOrEqual(1);
    const post = getPost(db, "week:2026-09-07");
    expect(post?.postAt).toBe("2026-09-07T00:00:00.000Z");
    expect(post?.deadline).toBe("2026-09-07T12:00:00.000Z");
    const week = text("week:2026-09-07", "2026-09-07T00:00:00.000Z");
    expect(week?.text).toContain("本周社区学校");
    expect(week?.text).toContain("经络养生操");
    expect(run("2026-09-07T00:01:00.000Z").queued).toBeGreaterThanOrEqual(1);
    // On Tuesday there is no new Monday post.
    run("2026-09-08T01:00:00.000Z");
    expect(getPost(db, "week:2026-09-08")).toBeUndefined();
  });

  it("an event two days ahead, and its attendance in one line afterwards", () => {
    const s = db
      .prepare(
        `SELECT s.id, s.starts_at, s.ends_at, c.title_zh FROM sessions s JOIN courses c ON c.id = s.course_id
         WHERE c.kind = 'event' AND s.starts_at > '2026-09-10' ORDER BY s.starts_at LIMIT 1`,
      )
      .get() as { id: number; starts_at: string; ends_at: string; title_zh: string };
    const twoDaysBefore = new Date(Date.parse(s.starts_at) - 50 * HOUR).toISOString();
    run(twoDaysBefore);
    const soon = getPost(db, `soon:${s.id}`);
    expect(soon?.postAt).toBe(new Date(Date.parse(s.starts_at) - 48 * HOUR).toISOString());
    expect(soon?.deadline).toBe(s.starts_at);
    expect(text(`soon:${s.id}`, twoDaysBefore)?.text).toContain(s.title_zh);
    // Nothing about attendance until it has been taken.
    const after = new Date(Date.parse(s.ends_at) + HOUR).toISOString();
    run(after);
    expect(getPost(db, `after:${s.id}`)).toBeUndefined();
    const person = (name: string) =>
      db.prepare("INSERT INTO people (name, relation, created_at) VALUES (?, 'self', ?)").run(name, after)
        .lastInsertRowid;
    for (const name of ["甲", "乙", "丙"]) {
      db.prepare(
        "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
      ).run(s.id, person(name), after);
    }
    run(after);
    const line = text(`after:${s.id}`, after)?.text ?? "";
    expect(line).toContain("共有 3 人参加");
    expect(line).not.toContain("甲");
  });
});
