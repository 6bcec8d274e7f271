import { describe, expect, it } from "vitest";
import { confirmEnrolment } from "../../src/enrollment/flow.ts";
import { getAccount, seeAccount, touchAccount } from "../../src/people/accounts.ts";
import { addCourse, freshDb, NOW } from "./fixture.ts";

const zhou = { id: 7001, first_name: "周 建国", language_code: "zh-hans" };
const flags = { consent: false, acceptClash: false };
const users = (db: ReturnType<typeof freshDb>) => db.prepare("SELECT count(*) FROM users").pluck().get();

describe("the first contact folded into the confirm press", () => {
  it("seeAccount writes nothing and answers what touchAccount then records", () => {
    const db = freshDb();
    const seen = seeAccount(db, zhou, NOW);
    expect(seen.needsWrite).toBe(true);
    expect(users(db)).toBe(0);
    const { createdAt: _a, ...predicted } = seen.account;
    const { createdAt: _b, ...written } = touchAccount(db, zhou, NOW);
    expect(written).toEqual(predicted);
    expect(seeAccount(db, zhou, new Date(NOW.getTime() + 60_000))).toEqual({
      account: { ...getAccount(db, zhou.id), isNew: false },
      needsWrite: false,
    });
    // A new name is a write to make, and the account already carries it.
    const renamed = seeAccount(db, { ...zhou, first_name: "周建国" }, new Date(NOW.getTime() + 60_000));
    expect(renamed.needsWrite).toBe(true);
    expect(renamed.account.firstName).toBe("周建国");
    expect(renamed.account.isNew).toBe(false);
  });

  it("a never-seen person's confirm records them and enrols them in one call", () => {
    const db = freshDb();
    const courseId = addCourse(db);
    const done = confirmEnrolment(db, { accountId: zhou.id, courseId, ref: "s", flags, contact: zhou }, NOW);
    expect(done.kind).toBe("done");
    if (done.kind !== "done") return;
    expect(done.result.kind).toBe("enrolled");
    expect(done.person.isSelf).toBe(true);
    expect(getAccount(db, zhou.id)?.firstName).toBe("周 建国");
  });

  it("the account write and the enrolment share one transaction: a failed enrolment leaves neither", () => {
    const db = freshDb();
    const courseId = addCourse(db);
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON enrolments BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() =>
      confirmEnrolment(db, { accountId: zhou.id, courseId, ref: "s", flags, contact: zhou }, NOW),
    ).toThrow(/disk full/);
    expect(users(db)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM people").pluck().get()).toBe(0);
  });
});
