import { describe, expect, it } from "vitest";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { learningFamilies } from "../../src/selection/families.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { YEAR_START, attended } from "./fixture.ts";

describe("learning families", () => {
  it("lists accounts with two or more members who completed a course this year, by hand", () => {
    const db = freshDb();
    const thisYear = addCourse(db, { firstAt: new Date(NOW.getTime() - 60 * DAY_MS), sessions: 4 });
    const other = addCourse(db, { firstAt: new Date(NOW.getTime() - 40 * DAY_MS), sessions: 4 });
    const lastYear = addCourse(db, { firstAt: new Date("2025-09-01T01:00:00Z"), sessions: 4 });
    const running = addCourse(db, { firstAt: new Date(NOW.getTime() - 10 * DAY_MS), sessions: 4 });
    const member = (account: number, name: string) =>
      addFamilyMember(db, account, { name, relation: "child", birthYear: 2015 }, NOW).id;

    // The Lis: holder 3/4 and child 4/4 of this year's courses, grandchild only 2/4: listed with two.
    const li = addUser(db, 1, "李建国");
    const liChild = member(1, "李小雨");
    const liGrand = member(1, "李多多");
    attended(db, thisYear, li.selfId, 3);
    attended(db, other, liChild, 4);
    attended(db, thisYear, liGrand, 2);
    // The Wangs: two members, but one completed only last year's and one a course still running.
    const wang = addUser(db, 2, "王秀兰");
    const wangChild = member(2, "王小明");
    attended(db, lastYear, wang.selfId, 4);
    attended(db, running, wangChild, 2);
    // The Zhangs: three completed, then the account holder used /forget: nobody left to select.
    const zhang = addUser(db, 3, "张伟");
    attended(db, thisYear, zhang.selfId, 4);
    attended(db, thisYear, member(3, "张丽"), 4);
    attended(db, other, member(3, "张小华"), 3);
    // The Chens: holder completed two courses, the only member none: one person is not a family.
    const chen = addUser(db, 4, "陈红");
    member(4, "陈小");
    attended(db, thisYear, chen.selfId, 4);
    attended(db, other, chen.selfId, 4);

    expect(learningFamilies(db, YEAR_START, NOW).map((f) => f.accountId)).toEqual([3, 1]);
    forgetAccount(db, 3, NOW, { offerHours: 24 });
    expect(learningFamilies(db, YEAR_START, NOW)).toEqual([
      { accountId: 1, members: ["李建国", "李小雨"], courses: 2 },
    ]);
  });
});
