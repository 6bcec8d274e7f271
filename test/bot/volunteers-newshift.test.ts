import { describe, expect, it } from "vitest";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const staff = { id: 6200, first_name: "Zhou", language_code: "zh-hans" };
const resident = { id: 6201, first_name: "Wang", language_code: "zh-hans" };

describe("/newshift", () => {
  it("lets staff create a shift step by step and pings matching volunteers; refuses residents", async () => {
    const h = await createHarness();
    const db = h.db;
    const at = h.clock.now().toISOString();
    await h.send(staff, "/start");
    await h.send(resident, "/start");
    db.prepare("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'staff', ?)").run(staff.id, at);
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'c', 'centre', '中心', 'Centre')",
    ).run();
    db.prepare(
      "INSERT INTO venues (id, code, site_id, name_zh, name_en) VALUES (5, 'hall', 1, '大厅', 'Hall')",
    ).run();
    db.prepare(
      "INSERT INTO volunteers (user_id, name, skills, status, availability, consent_at, created_at) VALUES (?, 'W', '[\"calligraphy\"]', 'approved', ?, ?, ?)",
    ).run(resident.id, 1 << 15, at, at);

    expect(texts(await h.send(resident, "/newshift"))[0]).toContain("工作人员");

    expect(texts(await h.send(staff, "/newshift"))[0]).toContain("服务内容");
    const english = await h.send(staff, "书法班助教");
    expect(buttons(english[0]).map((b) => b.data)).toEqual(["shf:skipTitle"]);
    const venue = await h.send(staff, "Calligraphy class helper");
    expect(buttons(venue[0]).map((b) => b.data)).toEqual(["shf:vn:5", "shf:vn:0"]);
    const date = await h.press(staff, "shf:vn:5");
    expect(buttons(date.find((c) => c.method === "sendMessage")).map((b) => b.data)).toContain(
      "shf:dt:2026-12-05",
    );
    await h.press(staff, "shf:dt:2026-12-05");
    expect(texts(await h.send(staff, "9点"))[0]).toContain("格式不对");
    await h.send(staff, "09:00");
    expect(texts(await h.send(staff, "08:00"))[0]).toContain("格式不对"); // ends before it starts
    await h.send(staff, "11:30");
    const skills = await h.send(staff, "1");
    expect(buttons(skills[0]).map((b) => b.data)).toContain("shf:sk:calligraphy");
    await h.press(staff, "shf:sk:calligraphy");
    const confirm = await h.press(staff, "shf:skd");
    const card = texts(confirm).find((t) => t.includes("书法班助教")) ?? "";
    expect(card).toContain("09:00–11:30");
    expect(card).toContain("大厅");
    expect(texts(await h.press(staff, "shf:new:y")).join()).toContain("已邀请 1 位");
    expect(
      db
        .prepare(
          "SELECT title_zh, title_en, venue_id, needed, skills, starts_at, ends_at, created_by FROM shifts",
        )
        .get(),
    ).toEqual({
      title_zh: "书法班助教",
      title_en: "Calligraphy class helper",
      venue_id: 5,
      needed: 1,
      skills: '["calligraphy"]',
      starts_at: "2026-12-05T01:00:00.000Z",
      ends_at: "2026-12-05T03:30:00.000Z",
      created_by: staff.id,
    });
    expect(db.prepare("SELECT chat_id, template FROM outbox WHERE key LIKE 'shift-ping:%'").all()).toEqual([
      { chat_id: resident.id, template: "volunteers.shiftPing" },
    ]);
    expect(texts(await h.send(staff, "/shifts"))[0]).toContain("0/1");
  });
});
