/**
 * /selection through the real bot (the Bot API emulator in process): an admin ticks families and
 * teams page by page and sends the certificates once; anyone else is refused, and old buttons,
 * double taps and forged presses change nothing they should not.
 */
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { graphemeLength } from "../../src/text.ts";
import { addCourse, addUser, DAY_MS, NOW, seedPlaces } from "../enrollment/fixture.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const admin = { id: 9001, first_name: "管理员", language_code: "zh" };
const staff = { id: 9002, first_name: "职员", language_code: "zh" };
const resident = { id: 1, first_name: "李建国", language_code: "zh" };

function attendAll(db: Db, course: number, personId: number) {
  for (const s of db.prepare("SELECT id FROM sessions WHERE course_id = ?").pluck().all(course))
    db.prepare(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
    ).run(s, personId, NOW.toISOString());
}

/** `families` accounts (ids 1, 2, …) each with the holder and one child who completed a course; one team. */
async function setup(families = 2) {
  const h = await createHarness({ now: NOW.toISOString(), config: { TIMEZONE: "Asia/Shanghai" } });
  seedPlaces(h.db);
  const course = addCourse(h.db, { firstAt: new Date(NOW.getTime() - 40 * DAY_MS), sessions: 4 });
  const at = NOW.toISOString();
  for (let id = 1; id <= families; id++) {
    const holder = addUser(h.db, id, id === 1 ? "李建国" : `家长${id}`).selfId;
    const child = addFamilyMember(
      h.db,
      id,
      {
        name: id === 2 ? `王小明🎨${"很长的名字".repeat(8)}` : `孩子${id}`,
        relation: "child",
        birthYear: 2015,
      },
      NOW,
    ).id;
    attendAll(h.db, course, holder);
    attendAll(h.db, course, child);
  }
  const team = Number(
    h.db
      .prepare(
        "INSERT INTO learning_teams (course_id, name, name_key, formed_by, created_at) VALUES (?, '夕阳红<书法>队', 'x', 'staff', ?)",
      )
      .run(course, at).lastInsertRowid,
  );
  for (const account of [1, 2])
    h.db
      .prepare(
        "INSERT INTO learning_team_members (team_id, person_id, joined_at) SELECT ?, id, ? FROM people WHERE account_id = ? AND is_self = 1",
      )
      .run(team, at, account);
  addUser(h.db, admin.id, admin.first_name);
  addUser(h.db, staff.id, staff.first_name);
  h.db.prepare("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)").run(admin.id, at);
  h.db
    .prepare("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, 'staff', 1, ?)")
    .run(staff.id, at);
  return { h, team };
}

const screen = (calls: ApiCall[]) =>
  calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText").pop();
const alertOf = (calls: ApiCall[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text as string | undefined;
const selections = (db: Db) => db.prepare("SELECT COUNT(*) FROM selections").pluck().get();

describe("/selection", () => {
  it("lets an admin tick a family and a team, confirm, and send each certificate once", async () => {
    const { h, team } = await setup();
    const open = screen(await h.send(admin, "/selection"));
    const text = open?.payload.text as string;
    expect(text).toContain("2026 年度学习型家庭和学习型团队评选");
    expect(text).toContain("☐ 李建国、孩子1（结业 2 门次）");
    expect(text).toContain("夕阳红&lt;书法&gt;队：书法");
    expect(text).toContain("2/2 人结业");
    expect(buttons(open).map((b) => b.data)).toEqual(["sel:m:f:1:0", "sel:m:f:2:0", `sel:m:t:${team}:0`]);
    expect(buttons(open)[2]?.text).toBe("☐ 夕阳红<书法>队");

    const marked = await h.press(admin, "sel:m:f:1:0");
    expect(marked.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(buttons(screen(marked)).map((b) => b.text)).toEqual(
      expect.arrayContaining(["☑ 李建国、孩子1", "📨 发送证书（1）"]),
    );
    // The same ☐ pressed again on the old message (a double tap): still one selection.
    const again = await h.press(admin, "sel:m:f:1:0");
    expect(again.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect(selections(h.db)).toBe(1);
    await h.press(admin, `sel:m:t:${team}:0`);
    // Unticked and ticked again: the press carries what it means, so it cannot flip twice.
    await h.press(admin, "sel:u:f:1:0");
    expect(selections(h.db)).toBe(1);
    await h.press(admin, "sel:m:f:1:0");

    const confirm = screen(await h.press(admin, "sel:s"));
    expect(confirm?.payload.text).toContain("给 1 个家庭和 1 个团队发送证书");
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox").pluck().get()).toBe(0);
    const sent = await h.press(admin, "sel:go");
    expect(texts(sent).join("\n")).toContain("证书已发送给 1 个家庭和 1 个团队");
    // The family's account and both team members' accounts (1 twice: family and team).
    expect(h.db.prepare("SELECT chat_id FROM outbox ORDER BY chat_id, id").pluck().all()).toEqual([1, 1, 2]);

    // A second tap on the confirmation sends nothing, and says so.
    const twice = await h.press(admin, "sel:go");
    expect(alertOf(twice)).toContain("没有待发送的证书");
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox").pluck().get()).toBe(3);
    const board = screen(await h.send(admin, "/selection"));
    expect(board?.payload.text).toContain("☑ 李建国、孩子1（结业 2 门次）（已发证书）");
    expect(buttons(board).map((b) => b.text)).not.toContain("📨 发送证书（1）");

    // The family finds its certificate under /certificates; someone else's press gets nothing.
    const list = screen(await h.send(resident, "/certificates"));
    const certs = buttons(list).filter((b) => b.data?.startsWith("cert:s:"));
    expect(certs.map((b) => b.text)).toEqual([
      "🏅 2026 年度学习型团队：夕阳红<书法>队",
      "🏅 2026 年度学习型家庭：李建国",
    ]);
    const cert = certs[1];
    const files = await h.press(resident, cert?.data as string);
    expect(files.map((c) => c.method)).toEqual(expect.arrayContaining(["sendPhoto", "sendDocument"]));
    const forged = await h.press(staff, cert?.data as string);
    expect(forged.some((c) => c.method === "sendPhoto" || c.method === "sendDocument")).toBe(false);

    // A sent selection cannot be taken back.
    const undo = await h.press(admin, "sel:u:f:1:0");
    expect(alertOf(undo)).toContain("不能取消");
    expect(selections(h.db)).toBe(2);
    // Only re-shows of a screen a refused or repeated press left unchanged, which showScreen takes as done.
    expect(h.refused.length).toBe(2);
    for (const r of h.refused) expect(r.description).toContain("message is not modified");
  });

  it("refuses staff and residents, by command and by forged button", async () => {
    const { h } = await setup();
    for (const who of [staff, resident]) {
      const calls = await h.send(who, "/selection");
      expect(texts(calls).join("\n")).toContain("只对工作人员开放");
      expect(texts(calls).join("\n")).not.toContain("评选");
      const forged = await h.press(who, "sel:m:f:1:0");
      expect(alertOf(forged)).toContain("只对工作人员开放");
      await h.press(who, "sel:go");
    }
    expect(selections(h.db)).toBe(0);
    expect(h.db.prepare("SELECT COUNT(*) FROM outbox").pluck().get()).toBe(0);
  });

  it("pages a long list, keeps over-long names and emoji within a button, and lands an old page on the last", async () => {
    const { h, team } = await setup(10);
    const first = screen(await h.send(admin, "/selection"));
    const data = buttons(first).map((b) => b.data);
    expect(data.filter((d) => d?.startsWith("sel:m:"))).toHaveLength(8);
    expect(data).toContain("sel:p:1");
    expect(data).not.toContain("sel:p:-1");
    for (const b of buttons(first)) expect(graphemeLength(b.text)).toBeLessThanOrEqual(22);
    const long = buttons(first).find((b) => b.data === "sel:m:f:2:0");
    expect(long?.text).toContain("…");

    const second = screen(await h.press(admin, "sel:p:1"));
    expect(buttons(second).map((b) => b.data)).toEqual([
      "sel:m:f:9:1",
      "sel:m:f:10:1",
      `sel:m:t:${team}:1`,
      "sel:p:0",
    ]);
    expect(second?.payload.text).toContain("学习型团队</b>（1 个候选）");
    // A page that no longer exists (the list got shorter): the last one.
    await h.press(admin, "sel:p:0");
    const old = screen(await h.press(admin, "sel:p:7"));
    expect(buttons(old).map((b) => b.data)).toContain("sel:p:0");
    // Ticking on page 2 stays on page 2.
    const ticked = screen(await h.press(admin, "sel:m:f:10:1"));
    expect(buttons(ticked).map((b) => b.data)).toContain("sel:u:f:10:1");
    expect(h.refused).toEqual([]);
  });
});
