/**
 * Certificate notices: once a course has ended, each participant who attended enough of it is
 * told once, on the chat of the account that manages them; nobody else is.
 */
import { describe, expect, it } from "vitest";
import { issueCourseCertificate } from "../../src/certificates/issue.ts";
import { enqueueCompletionNotices, NOTICE_TEMPLATE } from "../../src/certificates/notices.ts";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { createI18n } from "../../src/i18n/index.ts";
import type { Locale } from "../../src/i18n/index.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import type { RenderedMessage } from "../../src/notify/template.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { finished } from "./fixture.ts";

/** Started 27 days ago: the fourth weekly session was 6 days ago, within the fortnight looked at. */
const RECENT = new Date(NOW.getTime() - 27 * DAY_MS);

const queued = (db: Db) =>
  db.prepare("SELECT key, chat_id AS chatId, template, params FROM outbox ORDER BY id").all() as {
    key: string;
    chatId: number;
    template: string;
    params: string;
  }[];

async function render(db: Db, params: string, chatId: number, locale: Locale, now = NOW) {
  const i18n = await createI18n("zh");
  const ctx = { db, config: parseConfig({}), i18n, t: i18n.getFixedT(locale), locale, now, chatId };
  return (await TEMPLATES[NOTICE_TEMPLATE]!(ctx, JSON.parse(params))) as RenderedMessage | null;
}

const buttonData = (m: RenderedMessage | null) =>
  (m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : [])
    .flat()
    .map((b) => ("callback_data" in b ? b.callback_data : undefined));

describe("who is told that a certificate is ready", () => {
  it("tells a participant at the share once, with the sessions attended and the certificate button", async () => {
    const db = freshDb();
    const u = addUser(db, 1, "林小梅");
    const course = finished(db, u.selfId, 3, { firstAt: RECENT });
    expect(enqueueCompletionNotices(db, NOW)).toBe(1);
    const [row] = queued(db);
    expect(row).toMatchObject({
      chatId: 1,
      template: NOTICE_TEMPLATE,
      key: `certificate:${course}:${u.selfId}:1`,
    });
    // A second run, and one the next evening, queue nothing.
    expect(enqueueCompletionNotices(db, NOW)).toBe(0);
    expect(enqueueCompletionNotices(db, new Date(NOW.getTime() + DAY_MS))).toBe(0);
    expect(queued(db)).toHaveLength(1);
    const title = (lang: string) =>
      db.prepare(`SELECT title_${lang} FROM courses WHERE id = ?`).pluck().get(course) as string;
    const en = await render(db, row!.params, 1, "en");
    expect(en?.text).toBe(
      `🎓 You completed “${title("en")}” (3 of 4 sessions). Your certificate is ready: tap below to get it.`,
    );
    expect(buttonData(en)).toEqual([`cert:c:${course}:${u.selfId}`]);
    const zh = await render(db, row!.params, 1, "zh");
    expect(zh?.text).toContain(`《${title("zh")}》`);
    expect(zh?.text).toContain("4次课出席了3次。您的结业证书准备好了");
  });

  it("tells nobody under the share, with a cancelled enrolment, or before the course has ended", () => {
    const db = freshDb();
    const a = addUser(db, 1);
    const b = addUser(db, 2);
    const c = addUser(db, 3);
    finished(db, a.selfId, 2, { firstAt: RECENT });
    const cancelled = finished(db, b.selfId, 4, { firstAt: RECENT });
    db.prepare("UPDATE enrolments SET status = 'cancelled', cancelled_at = ? WHERE course_id = ?").run(
      NOW.toISOString(),
      cancelled,
    );
    // Two sessions still to come.
    finished(db, c.selfId, 2, { firstAt: new Date(NOW.getTime() - 8 * DAY_MS) });
    expect(enqueueCompletionNotices(db, NOW)).toBe(0);
    expect(queued(db)).toEqual([]);
  });

  it("uses the course's own share, not only the default 75 %", () => {
    const db = freshDb();
    const u = addUser(db, 1);
    finished(db, u.selfId, 2, { firstAt: RECENT, share: 0.5 });
    finished(db, u.selfId, 3, { firstAt: RECENT, share: 1 });
    expect(enqueueCompletionNotices(db, NOW)).toBe(1);
  });

  it("leaves out courses that ended more than a fortnight ago, certificates already issued, and events", () => {
    const db = freshDb();
    const u = addUser(db, 1);
    finished(db, u.selfId, 4); // ended 19 days ago
    for (const kind of ["event", "lecture"]) {
      const show = finished(db, u.selfId, 4, { firstAt: RECENT });
      db.prepare("UPDATE courses SET kind = ? WHERE id = ?").run(kind, show);
    }
    const asked = finished(db, u.selfId, 4, { firstAt: RECENT });
    expect(issueCourseCertificate(db, { accountId: 1, personId: u.selfId, courseId: asked }, NOW).kind).toBe(
      "issued",
    );
    expect(enqueueCompletionNotices(db, NOW)).toBe(0);
  });

  it("tells nobody after /forget, and drops a notice queued before it", async () => {
    const db = freshDb();
    const u = addUser(db, 1);
    const v = addUser(db, 2);
    finished(db, u.selfId, 4, { firstAt: RECENT });
    finished(db, v.selfId, 4, { firstAt: RECENT });
    expect(enqueueCompletionNotices(db, NOW)).toBe(2);
    const params = queued(db).find((r) => r.chatId === 2)!.params;
    forgetAccount(db, 1, NOW, { offerHours: 24 });
    forgetAccount(db, 2, NOW, { offerHours: 24 });
    expect(queued(db)).toEqual([]);
    expect(enqueueCompletionNotices(db, new Date(NOW.getTime() + DAY_MS))).toBe(0);
    expect(queued(db)).toEqual([]);
    expect(await render(db, params, 2, "en")).toBeNull();
  });

  it("tells the account holder about a family member, by the member's name", async () => {
    const db = freshDb();
    addUser(db, 1, "王秀兰");
    const child = addFamilyMember(db, 1, { name: "小明", relation: "child", birthYear: 2016 }, NOW);
    finished(db, child.id, 4, { firstAt: RECENT });
    expect(enqueueCompletionNotices(db, NOW)).toBe(1);
    const [row] = queued(db);
    expect(row?.chatId).toBe(1);
    expect((await render(db, row!.params, 1, "zh"))?.text).toMatch(
      /^🎓 小明学完了《.*小明的结业证书准备好了/,
    );
    // The certificate is the member's, not the reader's.
    const en = (await render(db, row!.params, 1, "en"))?.text;
    expect(en).toMatch(/^🎓 小明 completed “.*小明's certificate is ready/);
    expect(en).not.toContain("Your certificate");
    // Shown to another chat (a forged row), it says nothing.
    expect(await render(db, row!.params, 2, "en")).toBeNull();
  });
});

describe("a health course's notice", () => {
  it("does not name the course and offers no button: /certificates asks first", async () => {
    const db = freshDb();
    const u = addUser(db, 1);
    const course = finished(db, u.selfId, 4, { firstAt: RECENT, health: true });
    db.prepare("UPDATE courses SET title_zh = '孕妇学校', title_en = 'Pregnancy education' WHERE id = ?").run(
      course,
    );
    expect(enqueueCompletionNotices(db, NOW)).toBe(1);
    const [row] = queued(db);
    for (const locale of ["zh", "en"] as const) {
      const m = await render(db, row!.params, 1, locale);
      expect(m?.text).toContain("/certificates");
      expect(m?.text).not.toMatch(/孕妇|Pregnancy|4/);
      expect(m?.reply_markup).toBeUndefined();
    }
    // Nothing was issued by the notice.
    expect(db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(0);
  });
});

describe("when the notice is sent", () => {
  it("is dropped if a corrected attendance takes the participant under the share", async () => {
    const db = freshDb();
    const u = addUser(db, 1);
    finished(db, u.selfId, 3, { firstAt: RECENT });
    enqueueCompletionNotices(db, NOW);
    const [row] = queued(db);
    db.prepare(
      "UPDATE attendance SET status = 'absent' WHERE person_id = ? AND session_id = (SELECT MIN(session_id) FROM attendance)",
    ).run(u.selfId);
    expect(await render(db, row!.params, 1, "en")).toBeNull();
  });
});
