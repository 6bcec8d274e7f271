import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { funnel, recordArrival } from "../../src/publicity/arrivals.ts";
import { funnelSheet } from "../../src/messages/funnel.ts";
import { computeDigestFigures } from "../../src/reports/digest.ts";
import { digestText } from "../../src/messages/digest-message.ts";
import { COURSES, NOW, seedFixture, TARGETS, TZ } from "../reports/fixture.ts";

/** The fixture's reported week is 2026-11-23..29 (local). */
const IN_WEEK = new Date("2026-11-24T02:00:00.000Z");
const AFTER = new Date("2026-11-25T02:00:00.000Z");
const BEFORE_WEEK = new Date("2026-11-10T02:00:00.000Z");

describe("the funnel", async () => {
  const i18n = await createI18n("zh");
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  const addUser = (id: number) =>
    db
      .prepare("INSERT INTO users (id, first_name, created_at) VALUES (?, 'x', ?)")
      .run(id, IN_WEEK.toISOString());
  const enrol = (userId: number, at: Date) => {
    const person = db
      .prepare(
        "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (?, 1, 'x', 'self', ?)",
      )
      .run(userId, at.toISOString()).lastInsertRowid;
    db.prepare(
      "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (?, ?, ?, 'enrolled', ?, ?)",
    ).run(COURSES.A, person, userId, at.toISOString(), at.toISOString());
  };
  for (const id of [9001, 9002, 9003, 9004, 9005]) addUser(id);
  recordArrival(db, { userId: 9001, source: "poster", target: "c:a", isNew: true }, IN_WEEK);
  recordArrival(db, { userId: 9001, source: "poster", target: "c:a", isNew: false }, AFTER); // same person twice
  recordArrival(db, { userId: 9002, source: "poster", target: "s:x", isNew: true }, IN_WEEK);
  recordArrival(db, { userId: 9003, source: "share", target: "c:a", isNew: false }, IN_WEEK);
  recordArrival(db, { userId: 9004, source: undefined, target: "v", isNew: true }, IN_WEEK);
  recordArrival(db, { userId: 9005, source: "channel", target: "c:a", isNew: true }, BEFORE_WEEK);
  enrol(9001, AFTER); // enrolled after arriving: counts
  enrol(9003, BEFORE_WEEK); // enrolled before arriving by the share: does not count for it

  it("counts people per source, new ones, and those who enrolled after arriving", () => {
    const rows = funnel(db, new Date("2026-11-22T16:00:00.000Z"), new Date("2026-11-29T16:00:00.000Z"));
    expect(rows).toEqual([
      { source: "poster", arrived: 2, enrolled: 1, newPeople: 2 },
      { source: "share", arrived: 1, enrolled: 0, newPeople: 0 },
      { source: "channel", arrived: 0, enrolled: 0, newPeople: 0 },
      { source: "page", arrived: 0, enrolled: 0, newPeople: 0 },
      { source: "other", arrived: 1, enrolled: 0, newPeople: 1 },
    ]);
  });

  it("the weekly digest shows the sources that brought anyone", () => {
    const figures = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS });
    const text = digestText(i18n.getFixedT("zh"), "zh", figures);
    expect(text).toContain("从哪里来");
    expect(text).toContain("海报二维码：2 人来（新用户 2 人），其中 1 人报名");
    expect(text).toContain("分享到群：1 人来（新用户 0 人），其中 0 人报名");
    expect(text).not.toContain("频道：");
  });

  it("the monthly sheet lists every source; a forgotten person's visits still count, one by one", () => {
    forgetAccount(db, 9001, AFTER, { offerHours: 24 });
    const rows = funnel(db, new Date("2026-10-31T16:00:00.000Z"), new Date("2026-11-30T16:00:00.000Z"));
    const sheet = funnelSheet(i18n.getFixedT("en"), rows);
    expect(sheet.headers).toEqual(["Source", "Arrived", "New to the bot", "Enrolled"]);
    // 9001 came twice by poster: once anonymous, the two visits can no longer be told to be one person.
    expect(sheet.rows[0]).toEqual(["Poster QR code", 3, 1, 0]);
    expect(sheet.rows[2]).toEqual(["Channel", 1, 1, 0]);
  });
});
