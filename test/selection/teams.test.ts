import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { learningTeamCandidates } from "../../src/selection/teams.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { YEAR_START, attended, team } from "./fixture.ts";

function enrolled(db: Db, course: number, personId: number, status = "enrolled") {
  const at = NOW.toISOString();
  db.prepare(
    `INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at, cancelled_at)
     VALUES (?, ?, (SELECT account_id FROM people WHERE id = ?), ?, ?, ?, ?)`,
  ).run(course, personId, personId, status, at, at, status === "cancelled" ? at : null);
}

describe("learning team candidates", () => {
  it("lists teams with two or more members who completed a course that ended this year, by hand", () => {
    const db = freshDb();
    // 4 weekly sessions each: ended 39 days ago, ended last year, still running.
    const ended = addCourse(db, { firstAt: new Date(NOW.getTime() - 60 * DAY_MS), sessions: 4 });
    const lastYear = addCourse(db, { firstAt: new Date("2025-09-01T01:00:00Z"), sessions: 4 });
    const running = addCourse(db, { firstAt: new Date(NOW.getTime() - 10 * DAY_MS), sessions: 4 });
    const person = (account: number, name: string) => addUser(db, account, name).selfId;
    const a = person(1, "李建国");
    const b = person(2, "王秀兰");
    const c = person(3, "张伟");
    const d = person(4, "陈红");
    const e = person(5, "刘洋");
    const f = person(6, "赵敏");
    const g = person(7, "孙丽");
    const h = person(8, "周杰");
    const i = person(9, "吴芳");
    const j = person(10, "郑强");
    const child = addFamilyMember(db, 1, { name: "李小雨", relation: "child", birthYear: 2015 }, NOW).id;
    for (const p of [a, b, c, d, e, f, g, h, child]) enrolled(db, ended, p);
    enrolled(db, ended, i, "cancelled");
    for (const p of [a, b]) enrolled(db, running, p);
    for (const p of [j, e]) enrolled(db, lastYear, p);

    // 晨读: a 4/4, b 3/4, i cancelled after one session: two completed of two members who count.
    attended(db, ended, a, 4);
    attended(db, ended, b, 3);
    attended(db, ended, i, 1);
    const morning = team(db, ended, "晨读", [a, b, i]);
    // 书友: c 4/4, d 4/4, child 3/4, e 2/4: three completed of four.
    attended(db, ended, c, 4);
    attended(db, ended, d, 4);
    attended(db, ended, child, 3);
    attended(db, ended, e, 2);
    const friends = team(db, ended, "书友", [c, d, child, e]);
    // 夕阳: f and g 4/4, then g's account used /forget: one left, not listed.
    attended(db, ended, f, 4);
    attended(db, ended, g, 4);
    const sunset = team(db, ended, "夕阳", [f, g]);
    // 独行: only h completed.
    attended(db, ended, h, 4);
    team(db, ended, "独行", [h]);
    // 快跑: both 2/2 so far, but the course is still running.
    attended(db, running, a, 2);
    attended(db, running, b, 2);
    team(db, running, "快跑", [a, b]);
    // 去年: both completed, but last year.
    attended(db, lastYear, j, 4);
    attended(db, lastYear, e, 4);
    team(db, lastYear, "去年", [j, e]);

    const course = { courseId: ended, titleZh: expect.any(String), titleEn: expect.any(String), siteId: 1 };
    expect(learningTeamCandidates(db, YEAR_START, NOW).map((t) => t.teamId)).toEqual([
      friends,
      morning,
      sunset,
    ]);
    forgetAccount(db, 7, NOW, { offerHours: 24 });
    expect(learningTeamCandidates(db, YEAR_START, NOW)).toEqual([
      {
        teamId: friends,
        name: "书友",
        ...course,
        members: 4,
        completed: 3,
        names: ["张伟", "陈红", "李小雨"],
      },
      { teamId: morning, name: "晨读", ...course, members: 2, completed: 2, names: ["李建国", "王秀兰"] },
    ]);
  });

  it("breaks ties by members, then by the oldest team", () => {
    const db = freshDb();
    const ended = addCourse(db, { firstAt: new Date(NOW.getTime() - 60 * DAY_MS), sessions: 4 });
    const ids = [1, 2, 3, 4, 5, 6, 7].map((n) => addUser(db, n).selfId);
    for (const p of ids) enrolled(db, ended, p);
    for (const p of ids.slice(0, 6)) attended(db, ended, p, 4);
    const first = team(db, ended, "一", ids.slice(0, 2));
    const second = team(db, ended, "二", ids.slice(2, 4));
    const bigger = team(db, ended, "三", ids.slice(4, 7));
    expect(
      learningTeamCandidates(db, YEAR_START, NOW).map((t) => [t.teamId, t.completed, t.members]),
    ).toEqual([
      [bigger, 2, 3],
      [first, 2, 2],
      [second, 2, 2],
    ]);
  });
});
