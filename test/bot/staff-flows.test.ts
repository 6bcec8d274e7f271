/** Staff features end to end through the real bot on the hand-made fixture. */
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { silentLogger } from "../../src/logger.ts";
import { renderRow } from "../../src/notify/render.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import { digestJob } from "../../src/jobs/digest.ts";
import { broadcastReportJob } from "../../src/jobs/broadcast-report.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const admin = { id: USERS.admin, first_name: "Admin", language_code: "zh" };
const staffNorth = { id: USERS.staff1, first_name: "North", language_code: "zh" };
const teacherA = { id: USERS.teacherA, first_name: "Teacher A", language_code: "zh" };
const teacherB = { id: USERS.teacherB, first_name: "Teacher B", language_code: "en" };

async function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  return createHarness({ db, now: NOW.toISOString() });
}

const one = <T>(
  db: { prepare(s: string): { pluck(): { get(...a: unknown[]): unknown } } },
  sql: string,
  ...a: unknown[]
) =>
  db
    .prepare(sql)
    .pluck()
    .get(...a) as T;

describe("staff menu, summary and digest", () => {
  it("opens the staff menu from the main-menu button and shows the summary", async () => {
    const h = await setup();
    const menu = (await h.send(staffNorth, "🛠 管理")).find((c) => c.method === "sendMessage");
    expect(buttons(menu).map((b) => b.data)).toEqual([
      "stf:sum",
      "stf:dig",
      "rst:l:0",
      "att:l",
      "crm:l:0",
      "bc:new",
      "vol:l",
      "shf:l",
      "fb:s",
      "stf:rep",
      "org:l",
    ]);
    const summary = texts(await h.send(staffNorth, "/summary")).join("\n");
    expect(summary).toContain("今天");
    expect(summary).toContain("候补超过名额五分之一");
    expect(summary).toContain("课程b：4/4（100%），候补 1");
  });

  it("sends the digest now as text, chart and spreadsheet", async () => {
    const h = await setup();
    const calls = await h.send(admin, "/digest");
    expect(calls.map((c) => c.method).filter((m) => m.startsWith("send"))).toEqual([
      "sendMessage",
      "sendPhoto",
      "sendDocument",
      "sendMessage",
    ]);
    expect(texts(calls)[0]).toContain("每周简报");
  }, 90_000); // the chart is drawn off the main thread; slow on a busy machine

  it("queues one digest per staff member per week and renders it at send time", async () => {
    const h = await setup();
    const deps = { db: h.db, config: h.deps.config, logger: silentLogger, clock: h.clock };
    expect(await digestJob.run(deps, NOW, null)).toEqual({ week: "2026-11-23", queued: 3 });
    expect(await digestJob.run(deps, NOW, NOW)).toEqual({ week: "2026-11-23", queued: 0 });
    const keys = h.db
      .prepare("SELECT key FROM outbox WHERE template = 'staff.digest' ORDER BY key")
      .pluck()
      .all();
    expect(keys).toEqual(["digest:2026-11-23:100", "digest:2026-11-23:101", "digest:2026-11-23:102"]);
    const row = h.db
      .prepare("SELECT chat_id, template, params FROM outbox WHERE key = 'digest:2026-11-23:101'")
      .get() as never;
    const out = await renderRow(
      { db: h.db, config: h.deps.config, i18n: h.deps.i18n, templates: TEMPLATES },
      row,
      NOW,
    );
    expect(out?.map((m) => (m.photo ? "photo" : m.document ? "document" : "text"))).toEqual([
      "text",
      "photo",
      "document",
      "text",
    ]);
    // A revoked staff member's queued digest is dropped.
    h.db.prepare("DELETE FROM roles WHERE user_id = 101").run();
    expect(
      await renderRow({ db: h.db, config: h.deps.config, i18n: h.deps.i18n, templates: TEMPLATES }, row, NOW),
    ).toBeNull();
  });

  it("sends the monthly report as a spreadsheet", async () => {
    const h = await setup();
    const calls = await h.send(staffNorth, "/report 2026-11");
    expect(calls.some((c) => c.method === "sendDocument")).toBe(true);
    expect(texts(await h.send(staffNorth, "/report 2026-11 nowhere"))[0]).toContain("nowhere");
  });
});

describe("course management", () => {
  it("asks what to do instead of dropping anyone when capacity goes below the seats taken", async () => {
    const h = await setup();
    const ask = await h.press(staffNorth, "crm:k:2:2");
    expect(texts(ask)[0]).toContain("已经有 4 人占了名额");
    expect(buttons(ask.find((c) => c.method === "editMessageText")).map((b) => b.data)).toEqual([
      "crm:k:2:4",
      "crm:c:2",
    ]);
    expect(one(h.db, "SELECT capacity FROM courses WHERE id = 2")).toBe(4);
    expect(one(h.db, "SELECT COUNT(*) FROM enrolments WHERE course_id = 2 AND status = 'enrolled'")).toBe(4);
  });

  it("raises capacity and offers the new seat to the waitlist, once even on a double tap", async () => {
    const h = await setup();
    await h.press(staffNorth, "crm:k:2:5");
    await h.press(staffNorth, "crm:k:2:5");
    expect(one(h.db, "SELECT capacity FROM courses WHERE id = 2")).toBe(5);
    expect(one(h.db, "SELECT status FROM enrolments WHERE course_id = 2 AND person_id = 5")).toBe("offered");
    expect(one(h.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'course.capacity'")).toBe(1);
  });

  it("closes enrolment and cancels a session with notice to participants", async () => {
    const h = await setup();
    await h.press(staffNorth, "crm:x:1");
    expect(one(h.db, "SELECT status FROM courses WHERE id = 1")).toBe("closed");
    const ask = await h.press(staffNorth, "crm:sc:3");
    expect(buttons(ask.find((c) => c.method === "editMessageText"))[0]?.data).toBe("crm:scy:3");
    const before = one<number>(h.db, "SELECT COUNT(*) FROM outbox");
    await h.press(staffNorth, "crm:scy:3");
    expect(one(h.db, "SELECT status FROM sessions WHERE id = 3")).toBe("cancelled");
    expect(one<number>(h.db, "SELECT COUNT(*) FROM outbox")).toBeGreaterThan(before);
    const again = await h.press(staffNorth, "crm:scy:3");
    expect(again.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("已经取消");
  });

  it("moves a session through a short conversation", async () => {
    const h = await setup();
    expect(texts(await h.press(staffNorth, "crm:sm:5")).join()).toContain("2026-12-08 14:30");
    expect(texts(await h.send(staffNorth, "next week"))[0]).toContain("2026-12-08 14:30");
    expect(texts(await h.send(staffNorth, "2026-12-03 15:00"))[0]).toContain("已改到");
    expect(one(h.db, "SELECT starts_at FROM sessions WHERE id = 5")).toBe("2026-12-03T07:00:00.000Z");
    expect(one(h.db, "SELECT ends_at FROM sessions WHERE id = 5")).toBe("2026-12-03T08:30:00.000Z");
  });

  it("adds a course through a conversation, and tells the residents who wished for its topic", async () => {
    const h = await setup();
    h.db
      .prepare(
        "INSERT INTO wishes (account_id, topic, text, created_at) VALUES (104, 'computer', '学用手机', ?)",
      )
      .run(NOW.toISOString());
    await h.press(staffNorth, "crm:new");
    await h.send(staffNorth, "手机摄影");
    await h.send(staffNorth, "Phone photography");
    await h.press(staffNorth, "crm:f:computer");
    await h.press(staffNorth, "crm:f:seniors");
    await h.send(staffNorth, "12");
    await h.press(staffNorth, "crm:f:1"); // venue (North has one; only one site for this staff member)
    await h.send(staffNorth, "104"); // Teacher B's account: linked, so they see the roster
    expect(texts(await h.send(staffNorth, "2026-12-07 mon,thu 9am"))[0]).toContain("mon,thu");
    const confirm = await h.send(staffNorth, "2026-12-07 mon,thu 09:00 90 2");
    expect(texts(confirm)[0]).toContain("手机摄影");
    await h.press(staffNorth, "crm:f:yes");
    const c = h.db
      .prepare(
        "SELECT id, site_id, venue_id, capacity, category, status, teacher_user_id FROM courses WHERE title_en = 'Phone photography'",
      )
      .get() as {
      id: number;
    };
    expect(c).toMatchObject({
      site_id: 1,
      venue_id: 1,
      capacity: 12,
      category: "computer",
      status: "open",
      teacher_user_id: 104,
    });
    expect(
      h.db.prepare("SELECT starts_at FROM sessions WHERE course_id = ? ORDER BY seq").pluck().all(c.id),
    ).toEqual([
      "2026-12-07T01:00:00.000Z",
      "2026-12-10T01:00:00.000Z",
      "2026-12-14T01:00:00.000Z",
      "2026-12-17T01:00:00.000Z",
    ]);
    expect(one(h.db, "SELECT template FROM outbox WHERE key = ?", `wish-course:${c.id}:104`)).toBe(
      "feedback.wishCourse",
    );
  });
});

describe("broadcast", () => {
  it("refuses broken or too long messages, previews, confirms and queues once", async () => {
    const h = await setup();
    expect(texts(await h.press(admin, "bc:a:c1")).join()).toContain("将发给 2 人");
    expect(texts(await h.send(admin, "<b>明天停课"))[0]).toContain("格式有误");
    expect(texts(await h.send(admin, "x".repeat(4097)))[0]).toContain("4096");
    expect(one(h.db, "SELECT COUNT(*) FROM outbox WHERE key LIKE 'broadcast:%'")).toBe(0);
    const preview = await h.send(admin, "明天<b>停课</b> & 后天照常");
    expect(texts(preview)[0]).toBe("明天<b>停课</b> &amp; 后天照常");
    expect(texts(preview)[1]).toContain("确定发给 2 人");
    await h.press(admin, "bc:y");
    await h.press(admin, "bc:y");
    const keys = h.db
      .prepare("SELECT key FROM outbox WHERE key LIKE 'broadcast:%' ORDER BY key")
      .pluck()
      .all() as string[];
    expect(keys).toHaveLength(2);
    expect(keys.map((k) => k.split(":")[2])).toEqual(["200", "201"]);
    const id = Number(keys[0]!.split(":")[1]);

    const deps = { db: h.db, config: h.deps.config, logger: silentLogger, clock: h.clock };
    expect(await broadcastReportJob.run(deps, NOW, null)).toEqual({ reports: 0 }); // still pending
    h.db.prepare("UPDATE outbox SET state = 'sent' WHERE key = ?").run(`broadcast:${id}:200`);
    h.db.prepare("UPDATE outbox SET state = 'failed' WHERE key = ?").run(`broadcast:${id}:201`);
    expect(await broadcastReportJob.run(deps, NOW, null)).toEqual({ reports: 1 });
    expect(await broadcastReportJob.run(deps, NOW, null)).toEqual({ reports: 0 });
    const row = h.db
      .prepare("SELECT chat_id, template, params FROM outbox WHERE key = ?")
      .get(`broadcast-report:${id}`) as never;
    const out = await renderRow(
      { db: h.db, config: h.deps.config, i18n: h.deps.i18n, templates: TEMPLATES },
      row,
      NOW,
    );
    expect(out?.[0]?.text).toContain("送达 1 人，无法送达 1 人");
  });

  it("sends nothing when the sender cancels", async () => {
    const h = await setup();
    await h.press(admin, "bc:a:news");
    await h.send(admin, "你好");
    await h.press(admin, "bc:n");
    expect(one(h.db, "SELECT COUNT(*) FROM broadcasts")).toBe(0);
    expect(one(h.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast'")).toBe(0);
  });
});

describe("roster and attendance", () => {
  it("shows family members and consented phones to the course's teacher, and exports", async () => {
    const h = await setup();
    const list = (await h.send(teacherB, "/roster")).find((c) => c.method === "sendMessage");
    expect(buttons(list).map((b) => b.data)).toEqual(["rst:c:2", "stf:m"]);
    const roster = texts(await h.press(teacherB, "rst:c:2"))[0]!;
    expect(roster).toContain("小宝 👪 Grandchild of 王秀兰");
    expect(roster).toContain("+8613800000000");
    expect(roster).toContain("孙丽"); // on the waitlist
    const exp = await h.press(teacherB, "rst:x:2");
    expect(exp.some((c) => c.method === "sendDocument")).toBe(true);
    // Course A does not need a phone: none shown.
    expect(texts(await h.press(teacherA, "rst:c:1"))[0]).not.toContain("+86");
  });

  it("toggles marks without saving, then saves once", async () => {
    const h = await setup();
    const list = (await h.send(teacherA, "/attendance")).find((c) => c.method === "sendMessage");
    expect(buttons(list).map((b) => b.data)).toContain("att:s:1");
    const sheet = (await h.press(teacherA, "att:s:1")).find((c) => c.method === "editMessageText");
    const data = buttons(sheet).map((b) => b.data!);
    // p1, p2 checked in, p4 (the grandchild) marked absent: mask 0b011.
    const toggleP4 = data.find((d) => /^att:t:1:\w{4}:2:3$/.test(d))!;
    expect(toggleP4).toBeDefined();
    const after = (await h.press(teacherA, toggleP4)).find((c) => c.method === "editMessageText");
    expect(one(h.db, "SELECT status FROM attendance WHERE session_id = 1 AND person_id = 4")).toBe("absent");
    const save = buttons(after).find((b) => b.data?.startsWith("att:v:"))!.data!;
    expect(save).toMatch(/^att:v:1:\w{4}:7$/);
    expect(texts(await h.press(teacherA, save))[0]).toContain("到 3 人");
    expect(
      h.db
        .prepare("SELECT person_id, status, source FROM attendance WHERE session_id = 1 ORDER BY person_id")
        .all(),
    ).toEqual([
      { person_id: 1, status: "present", source: "checkin" },
      { person_id: 2, status: "present", source: "checkin" },
      { person_id: 4, status: "present", source: "staff" },
    ]);
    // A sheet for a list that changed since is reloaded, not saved.
    expect(texts(await h.press(teacherA, "att:v:1:zzzz:0"))[0]).toContain("名单有变化");
    expect(one(h.db, "SELECT COUNT(*) FROM attendance WHERE session_id = 1 AND status = 'present'")).toBe(3);
  });

  it("sends the session's check-in QR code as a photo", async () => {
    const h = await setup();
    const calls = await h.press(teacherA, "att:q:1");
    expect(calls.some((c) => c.method === "sendPhoto")).toBe(true);
  });
});

describe("grant and revoke", () => {
  it("lets an admin grant and revoke roles, audited, with the command menu updated", async () => {
    const h = await setup();
    await h.send({ id: 201, first_name: "李明" }, "/start");
    const grant = await h.send(admin, "/grant 201 staff north");
    expect(texts(grant)[0]).toContain("已授予 201");
    expect(grant.find((c) => c.method === "setMyCommands")?.payload.scope).toEqual({
      type: "chat",
      chat_id: 201,
    });
    expect(h.db.prepare("SELECT role, site_id FROM roles WHERE user_id = 201").all()).toEqual([
      { role: "staff", site_id: 1 },
    ]);
    expect(texts(await h.send(admin, "/grant 201 teacher nosuch"))[0]).toContain("nosuch");
    const revoke = await h.send(admin, "/revoke 201 staff north");
    expect(revoke.some((c) => c.method === "deleteMyCommands")).toBe(true);
    expect(
      h.db.prepare("SELECT action FROM audit_log WHERE subject = 'user:201' ORDER BY id").pluck().all(),
    ).toEqual(["role.grant", "role.revoke"]);
    expect(texts(await h.send(staffNorth, "/grant 201 admin"))[0]).toContain("只对工作人员开放");
    expect(one(h.db, "SELECT COUNT(*) FROM roles WHERE user_id = 201")).toBe(0);
  });
});
