import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { exportOwnData, forgetAccount } from "../../src/own-data/own-data.ts";
import {
  formTeamAsResident,
  formTeamAsStaff,
  joinTeam,
  leaveTeam,
} from "../../src/selection/team-forming.ts";
import { courseTeamsForStaff, teamInvite } from "../../src/selection/team-screens.ts";
import {
  parseTeamName,
  teamMembers,
  teamOfPerson,
  teamsOfAccount,
  teamsOfCourse,
} from "../../src/selection/teams.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { parseConfig } from "../../src/config.ts";
import { TEMPLATES } from "../../src/messages/index.ts";

function enrolled(db: Db, course: number, personId: number, status = "enrolled") {
  const at = NOW.toISOString();
  db.prepare(
    `INSERT INTO enrolments (course_id, person_id, account_id, status, waitlist_seq, created_at, updated_at, cancelled_at)
     VALUES (?, ?, (SELECT account_id FROM people WHERE id = ?), ?, ?, ?, ?, ?)`,
  ).run(
    course,
    personId,
    personId,
    status,
    status === "waitlisted" ? 1 : null,
    at,
    at,
    status === "cancelled" ? at : null,
  );
}

function grant(db: Db, userId: number, role: string, siteId: number | null) {
  db.prepare("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, ?, ?, ?)").run(
    userId,
    role,
    siteId,
    NOW.toISOString(),
  );
}

function setup() {
  const db = freshDb();
  db.prepare(
    "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (2, 'S2', 'school', '西湖社区学校', 'West Lake school')",
  ).run();
  const course = addCourse(db, { firstAt: new Date(NOW.getTime() - 7 * DAY_MS), sessions: 4 });
  const li = addUser(db, 1, "李建国");
  const wang = addUser(db, 2, "王秀兰");
  const zhang = addUser(db, 3, "张伟");
  const liChild = addFamilyMember(db, 1, { name: "李小雨", relation: "child", birthYear: 2015 }, NOW).id;
  for (const p of [li.selfId, wang.selfId, liChild]) enrolled(db, course, p);
  enrolled(db, course, zhang.selfId, "cancelled");
  addUser(db, 50, "工作人员");
  grant(db, 50, "staff", 1);
  addUser(db, 51, "别校");
  grant(db, 51, "staff", 2);
  return { db, course, li, wang, zhang, liChild };
}

describe("team names", () => {
  it("trims, counts graphemes and refuses empty, command-like and over-long names", () => {
    expect(parseTeamName("  晨读  小组 ")).toEqual({ kind: "ok", name: "晨读 小组" });
    expect(parseTeamName("   ")).toEqual({ kind: "empty" });
    expect(parseTeamName("/help")).toEqual({ kind: "empty" });
    // A flag is one grapheme of two code points (four UTF-16 units): 30 fit, 31 do not.
    expect(parseTeamName("🇨🇳".repeat(30))).toEqual({ kind: "ok", name: "🇨🇳".repeat(30) });
    expect(parseTeamName("🇨🇳".repeat(31))).toEqual({ kind: "tooLong", max: 30 });
    expect(parseTeamName("读".repeat(31))).toEqual({ kind: "tooLong", max: 30 });
  });
});

describe("forming and joining a team", () => {
  it("lets a resident form a team with an invite code, and another join by it", () => {
    const { db, course, li, wang } = setup();
    const formed = formTeamAsResident(db, { courseId: course, personId: li.selfId, name: "晨读" }, 1, NOW);
    expect(formed).toMatchObject({
      kind: "formed",
      team: { name: "晨读", formedBy: "resident", members: 1 },
    });
    if (formed.kind !== "formed") return;
    const code = formed.team.inviteCode as string;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);

    const invite = teamInvite(db, code, 2, NOW);
    expect(invite).toMatchObject({
      kind: "ok",
      invite: {
        members: [{ name: "李建国" }],
        joinable: [{ personId: wang.selfId, name: "王秀兰" }],
        already: [],
      },
    });
    expect(joinTeam(db, code, wang.selfId, 2, NOW)).toMatchObject({ kind: "joined", team: { members: 2 } });
    // A second tap on the same button.
    expect(joinTeam(db, code, wang.selfId, 2, NOW)).toMatchObject({ kind: "alreadyMember" });
    expect(teamMembers(db, formed.team.id).map((m) => m.name)).toEqual(["李建国", "王秀兰"]);
    expect(teamInvite(db, code, 2, NOW)).toMatchObject({
      invite: { joinable: [], already: [{ name: "王秀兰" }] },
    });
  });

  it("refuses a duplicate name with the existing team, and a second team for the same person", () => {
    const { db, course, li, liChild } = setup();
    const first = formTeamAsResident(
      db,
      { courseId: course, personId: li.selfId, name: "晨读 Club" },
      1,
      NOW,
    );
    expect(first.kind).toBe("formed");
    expect(
      formTeamAsResident(db, { courseId: course, personId: liChild, name: "晨读club！" }, 1, NOW),
    ).toMatchObject({
      kind: "duplicate",
      existing: { name: "晨读 Club" },
    });
    expect(
      formTeamAsResident(db, { courseId: course, personId: li.selfId, name: "夜读" }, 1, NOW),
    ).toMatchObject({
      kind: "inTeam",
      team: { name: "晨读 Club" },
    });
  });

  it("refuses people who are not enrolled, not the account's, or a course that is over", () => {
    const { db, course, li, wang, zhang } = setup();
    expect(formTeamAsResident(db, { courseId: course, personId: zhang.selfId, name: "甲" }, 3, NOW)).toEqual({
      kind: "notEnrolled",
      courseId: course,
      personId: zhang.selfId,
      name: "张伟",
    });
    expect(formTeamAsResident(db, { courseId: course, personId: wang.selfId, name: "甲" }, 1, NOW)).toEqual({
      kind: "notAllowed",
    });
    const formed = formTeamAsResident(db, { courseId: course, personId: li.selfId, name: "甲" }, 1, NOW);
    const code = formed.kind === "formed" ? (formed.team.inviteCode as string) : "";
    // Zhang cancelled: told so, with the course to open.
    expect(joinTeam(db, code, zhang.selfId, 3, NOW)).toMatchObject({ kind: "notEnrolled", courseId: course });
    expect(joinTeam(db, code, li.selfId, 2, NOW)).toEqual({ kind: "notYours" });
    expect(joinTeam(db, "NOPE2345", wang.selfId, 2, NOW)).toEqual({ kind: "unknown" });
    expect(teamInvite(db, "NOPE2345", 2, NOW)).toEqual({ kind: "unknown" });
    const later = new Date(NOW.getTime() + 30 * DAY_MS);
    expect(teamInvite(db, code, 2, later)).toEqual({ kind: "closed" });
    expect(joinTeam(db, code, wang.selfId, 2, later)).toEqual({ kind: "closed" });
    expect(formTeamAsResident(db, { courseId: course, personId: wang.selfId, name: "乙" }, 2, later)).toEqual(
      {
        kind: "courseOver",
      },
    );
  });

  it("lets staff of the course's site form a team of enrolled people, audited; others not", () => {
    const { db, course, li, wang, liChild, zhang } = setup();
    const input = { courseId: course, personIds: [li.selfId, wang.selfId], name: "书友" };
    expect(formTeamAsStaff(db, input, 51, NOW)).toEqual({ kind: "notAllowed" });
    expect(formTeamAsStaff(db, input, 1, NOW)).toEqual({ kind: "notAllowed" });
    expect(formTeamAsStaff(db, { ...input, personIds: [li.selfId] }, 50, NOW)).toEqual({
      kind: "tooFew",
      min: 2,
    });
    expect(formTeamAsStaff(db, { ...input, personIds: [li.selfId, zhang.selfId] }, 50, NOW)).toMatchObject({
      kind: "notEnrolled",
      personId: zhang.selfId,
    });
    expect(courseTeamsForStaff(db, course, 51)).toBeUndefined();
    expect(courseTeamsForStaff(db, course, 50)?.free.map((f) => f.name)).toEqual(
      ["李小雨", "李建国", "王秀兰"].sort(),
    );
    const formed = formTeamAsStaff(db, input, 50, NOW);
    expect(formed).toMatchObject({
      kind: "formed",
      team: { formedBy: "staff", inviteCode: null, members: 2 },
    });
    // The same press again: the name is now taken.
    expect(formTeamAsStaff(db, input, 50, NOW)).toMatchObject({ kind: "duplicate" });
    expect(db.prepare("SELECT actor_id, action FROM audit_log WHERE action = 'team.form'").all()).toEqual([
      { actor_id: 50, action: "team.form" },
    ]);
    expect(courseTeamsForStaff(db, course, 50)).toMatchObject({
      canForm: true,
      teams: [{ name: "书友", names: ["李建国", "王秀兰"] }],
      free: [{ personId: liChild }],
    });
  });

  it("tells each member's account, once, that staff put them in the team; not once they left", async () => {
    const { db, course, li, wang } = setup();
    const formed = formTeamAsStaff(
      db,
      { courseId: course, personIds: [li.selfId, wang.selfId], name: "书友<会>" },
      50,
      NOW,
    );
    if (formed.kind !== "formed") throw new Error(formed.kind);
    const rows = db
      .prepare(
        "SELECT chat_id AS chatId, template, params FROM outbox WHERE template = 'teams.added' ORDER BY chat_id",
      )
      .all() as { chatId: number; template: string; params: string }[];
    expect(rows.map((r) => r.chatId)).toEqual([1, 2]);
    const i18n = await createI18n("zh");
    const config = parseConfig({ BOT_TOKEN: "42:TEST_TOKEN_abcdefghijklmnopqrstuv" });
    const render = (chatId: number, lng: "zh" | "en", params: string) =>
      TEMPLATES["teams.added"]!(
        { db, config, i18n, t: i18n.getFixedT(lng), locale: lng, now: NOW, chatId },
        JSON.parse(params) as Record<string, unknown>,
      ) as { text: string } | null;
    const liRow = rows[0]!.params;
    expect(render(1, "zh", liRow)?.text).toContain("学校把您编进了");
    expect(render(1, "zh", liRow)?.text).toContain("书友&lt;会&gt;");
    expect(render(1, "en", liRow)?.text).toContain("The school has put you in the learning team");
    // Another chat never gets this person's message.
    expect(render(2, "zh", liRow)).toBeNull();
    // Wang left before it went out: nothing to say.
    leaveTeam(db, formed.team.id, wang.selfId, 2);
    expect(render(2, "zh", rows[1]!.params)).toBeNull();
  });

  it("tells nobody when the team is recorded after its course ended", () => {
    const { db, course, li, wang } = setup();
    const later = new Date(NOW.getTime() + 30 * DAY_MS);
    const formed = formTeamAsStaff(
      db,
      { courseId: course, personIds: [li.selfId, wang.selfId], name: "书友" },
      50,
      later,
    );
    expect(formed.kind).toBe("formed");
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE template = 'teams.added'").pluck().get()).toBe(0);
  });

  it("lets a member leave; the last one out disbands the team", () => {
    const { db, course, li, wang } = setup();
    const formed = formTeamAsResident(db, { courseId: course, personId: li.selfId, name: "晨读" }, 1, NOW);
    if (formed.kind !== "formed") throw new Error("not formed");
    joinTeam(db, formed.team.inviteCode as string, wang.selfId, 2, NOW);
    expect(leaveTeam(db, formed.team.id, wang.selfId, 1)).toEqual({ kind: "notMember" });
    expect(leaveTeam(db, formed.team.id, wang.selfId, 2)).toMatchObject({ kind: "left", disbanded: false });
    expect(leaveTeam(db, formed.team.id, wang.selfId, 2)).toEqual({ kind: "notMember" });
    expect(leaveTeam(db, formed.team.id, li.selfId, 1)).toMatchObject({ kind: "left", disbanded: true });
    expect(teamsOfCourse(db, course)).toEqual([]);
  });

  it("shows an account's teams in /mydata, and /forget takes its people out of them", () => {
    const { db, course, li, wang, liChild } = setup();
    const formed = formTeamAsStaff(
      db,
      { courseId: course, personIds: [li.selfId, liChild, wang.selfId], name: "书友" },
      50,
      NOW,
    );
    if (formed.kind !== "formed") throw new Error("not formed");
    expect(teamsOfAccount(db, 1).map((t) => [t.name, t.personName])).toEqual([
      ["书友", "李建国"],
      ["书友", "李小雨"],
    ]);
    expect(exportOwnData(db, 1, NOW).teams).toEqual([
      {
        team: "书友",
        person: "李建国",
        course_code: expect.any(String),
        title_zh: expect.any(String),
        title_en: expect.any(String),
        joined_at: NOW.toISOString(),
      },
      {
        team: "书友",
        person: "李小雨",
        course_code: expect.any(String),
        title_zh: expect.any(String),
        title_en: expect.any(String),
        joined_at: NOW.toISOString(),
      },
    ]);
    forgetAccount(db, 1, NOW, { offerHours: 24 });
    expect(db.prepare("SELECT person_id FROM learning_team_members").pluck().all()).toEqual([wang.selfId]);
    expect(teamOfPerson(db, course, wang.selfId)).toMatchObject({ name: "书友", members: 1 });
  });
});
