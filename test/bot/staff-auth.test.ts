/**
 * Every staff command and button, tried by a resident, a volunteer and a teacher: refused, and
 * nothing in the database changes. Teachers reach their own courses' roster and attendance only.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const DENIED = "抱歉，这个功能只对工作人员开放。";
const resident = { id: USERS.wang, first_name: "王秀兰", language_code: "zh" };
const volunteer = { id: USERS.volunteer, first_name: "Vol", language_code: "zh" };
const teacherA = { id: USERS.teacherA, first_name: "Teacher A", language_code: "zh" };

const TABLES = [
  "courses",
  "sessions",
  "enrolments",
  "attendance",
  "outbox",
  "audit_log",
  "broadcasts",
  "roles",
  "conversation_state",
  "learning_teams",
  "learning_team_members",
];

function snapshot(db: Db): string {
  const h = createHash("sha256");
  for (const t of TABLES) h.update(JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));
  return h.digest("hex");
}

async function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  const h = await createHarness({ db, now: NOW.toISOString() });
  // Accounts exist before the snapshot, so the touch of an update is not counted as a change.
  for (const u of [resident, volunteer, teacherA]) await h.send(u, "/help");
  return h;
}

const refused = (calls: ApiCall[]) =>
  texts(calls).includes(DENIED) ||
  calls.some(
    (c) => c.method === "answerCallbackQuery" && c.payload.text === DENIED && c.payload.show_alert === true,
  );

const STAFF_COMMANDS = [
  "/summary",
  "/digest",
  "/report",
  "/report 2026-11",
  "/manage",
  "/broadcast",
  "/grant 201 staff",
  "/revoke 101 staff north",
];
const ROLE_COMMANDS = ["/staff", "/roster", "/attendance", "🛠 管理"];
const STAFF_BUTTONS = [
  "stf:sum",
  "stf:dig",
  "stf:rep",
  "crm:l:0",
  "crm:c:1",
  "crm:k:1:50",
  "crm:k:1:0",
  "crm:x:1",
  "crm:o:1",
  "crm:s:1",
  "crm:ss:3",
  "crm:sc:3",
  "crm:scy:3",
  "crm:sm:3",
  "crm:new",
  "bc:new",
  "bc:new:c1",
  "bc:a:news",
  "bc:a:vol",
  "bc:a:c1",
  "bc:a:s1",
  "bc:pc:0",
  "bc:ps",
];
// Buttons a teacher may use for their own course (A: course 1, session 1) but nobody else.
const ROLE_BUTTONS = [
  "stf:m",
  "rst:l:0",
  "rst:c:1",
  "rst:x:1",
  "att:l",
  "att:s:1",
  "att:t:1:abcd:0:3",
  "att:v:1:abcd:3",
  "att:q:1",
  "tm:s:1",
];
// Another teacher's course B (course 2, session 4) and the health course H (course 4, session 6).
const OTHER_COURSES = [
  "rst:c:2",
  "rst:x:2",
  "att:s:4",
  "att:t:4:abcd:0:0",
  "att:v:4:abcd:1",
  "att:q:4",
  "rst:c:4",
  "att:s:6",
  "att:q:6",
  "tm:s:2",
  "tm:sf:2",
  "tm:s:4",
];

describe("staff authorization", () => {
  for (const [who, user] of [
    ["resident", resident],
    ["volunteer", volunteer],
  ] as const) {
    it(`refuses every staff command to a ${who} and changes nothing`, async () => {
      const h = await setup();
      const before = snapshot(h.db);
      for (const cmd of [...STAFF_COMMANDS, ...ROLE_COMMANDS]) {
        const calls = await h.send(user, cmd);
        expect(refused(calls), `${who} ${cmd}`).toBe(true);
        expect(calls.some((c) => ["sendPhoto", "sendDocument", "setMyCommands"].includes(c.method))).toBe(
          false,
        );
      }
      expect(snapshot(h.db)).toBe(before);
    });

    it(`refuses every forged staff button to a ${who} and changes nothing`, async () => {
      const h = await setup();
      const before = snapshot(h.db);
      for (const data of [...STAFF_BUTTONS, ...ROLE_BUTTONS, ...OTHER_COURSES]) {
        const calls = await h.press(user, data);
        expect(refused(calls), `${who} ${data}`).toBe(true);
        expect(calls.some((c) => ["sendPhoto", "sendDocument", "editMessageText"].includes(c.method))).toBe(
          false,
        );
      }
      // Confirm buttons of a broadcast nobody is writing are out of date, not acted on.
      for (const data of ["bc:y", "bc:n"]) {
        const calls = await h.press(user, data);
        expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
      }
      expect(snapshot(h.db)).toBe(before);
    });
  }

  it("refuses staff commands and buttons to a teacher, and other teachers' courses", async () => {
    const h = await setup();
    const before = snapshot(h.db);
    for (const cmd of STAFF_COMMANDS) expect(refused(await h.send(teacherA, cmd)), cmd).toBe(true);
    for (const data of [...STAFF_BUTTONS, ...OTHER_COURSES])
      expect(refused(await h.press(teacherA, data)), data).toBe(true);
    expect(snapshot(h.db)).toBe(before);
  });

  it("lets a teacher use the roster and attendance of their own course", async () => {
    const h = await setup();
    for (const cmd of ROLE_COMMANDS) expect(refused(await h.send(teacherA, cmd)), cmd).toBe(false);
    for (const data of ROLE_BUTTONS) expect(refused(await h.press(teacherA, data)), data).toBe(false);
    const menu = (await h.send(teacherA, "/staff")).find((c) => c.method === "sendMessage");
    expect(buttons(menu).map((b) => b.data)).toEqual(["rst:l:0", "att:l"]);
  });

  it("shows a health-related course's roster only to the staff of its site and admins", async () => {
    const h = await setup();
    const staffSouth = { id: USERS.staff2, first_name: "S", language_code: "zh" };
    const staffNorth = { id: USERS.staff1, first_name: "N", language_code: "zh" };
    const admin = { id: USERS.admin, first_name: "A", language_code: "zh" };
    expect(refused(await h.press(staffSouth, "rst:c:4"))).toBe(true);
    expect(refused(await h.press(staffNorth, "rst:c:4"))).toBe(false);
    expect(refused(await h.press(admin, "rst:c:4"))).toBe(false);
    // Staff of one site do not manage another site's courses.
    expect(refused(await h.press(staffSouth, "crm:k:1:50"))).toBe(true);
    expect(h.db.prepare("SELECT capacity FROM courses WHERE id = 1").pluck().get()).toBe(10);
  });

  it("stops working the moment a role is revoked", async () => {
    const h = await setup();
    const staffNorth = { id: USERS.staff1, first_name: "N", language_code: "zh" };
    expect(refused(await h.send(staffNorth, "/summary"))).toBe(false);
    h.db.prepare("DELETE FROM roles WHERE user_id = ?").run(USERS.staff1);
    expect(refused(await h.send(staffNorth, "/summary"))).toBe(true);
  });
});

describe("the volunteer, shift and rating screens of the staff menu", () => {
  it("refuse a resident who forges their buttons, with an alert and nothing shown", async () => {
    const h = await setup();
    const before = snapshot(h.db);
    for (const data of ["vol:l", "shf:l", "shf:new", "fb:s"]) {
      const calls = await h.press(resident, data);
      const alert = calls.find((c) => c.method === "answerCallbackQuery");
      expect(alert?.payload.show_alert, data).toBe(true);
      expect(
        calls.some((c) => c.method.startsWith("send") || c.method.startsWith("edit")),
        data,
      ).toBe(false);
    }
    expect(snapshot(h.db)).toBe(before);
  });

  it("open for staff from the menu", async () => {
    const h = await setup();
    const staffNorth = { id: USERS.staff1, first_name: "N", language_code: "zh" };
    expect(texts(await h.press(staffNorth, "vol:l")).join("\n")).toContain("志愿者");
    expect((await h.press(staffNorth, "fb:s")).some((c) => c.method === "sendMessage")).toBe(true);
    expect((await h.press(staffNorth, "shf:l")).some((c) => c.method === "sendMessage")).toBe(true);
  });
});
