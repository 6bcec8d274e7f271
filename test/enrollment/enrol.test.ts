import { describe, expect, it } from "vitest";
import { enrol, previewEnrolment } from "../../src/enrollment/enrol.ts";
import { addFamilyMember, parseBirthYear, saveOwnPhone } from "../../src/enrollment/family.ts";
import { addCourse, addUser, DAY_MS, freshDb, HOUR_MS, NOW } from "./fixture.ts";

describe("enrol: capacity and FIFO", () => {
  it("fills the seats, then waitlists in arrival order", () => {
    const db = freshDb();
    const course = addCourse(db, { capacity: 3 });
    const results = Array.from({ length: 6 }, (_, i) => {
      const u = addUser(db, 100 + i);
      return enrol(db, { courseId: course, personId: u.selfId, accountId: u.accountId }, NOW);
    });
    expect(results.map((r) => r.kind)).toEqual([
      "enrolled",
      "enrolled",
      "enrolled",
      "waitlisted",
      "waitlisted",
      "waitlisted",
    ]);
    expect(results.slice(3).map((r) => (r.kind === "waitlisted" ? r.position : 0))).toEqual([1, 2, 3]);
    const first = results[0];
    expect(first?.kind === "enrolled" && first.nextSessionAt).toBe(
      new Date(NOW.getTime() + 2 * DAY_MS).toISOString(),
    );
    expect(db.prepare("SELECT count(*) FROM enrolments WHERE status = 'enrolled'").pluck().get()).toBe(3);
  });

  it("answers 'already' to a second attempt and writes nothing", () => {
    const db = freshDb();
    const course = addCourse(db, { capacity: 1 });
    const a = addUser(db, 1);
    const b = addUser(db, 2);
    enrol(db, { courseId: course, personId: a.selfId, accountId: 1 }, NOW);
    enrol(db, { courseId: course, personId: b.selfId, accountId: 2 }, NOW);
    expect(enrol(db, { courseId: course, personId: a.selfId, accountId: 1 }, NOW)).toMatchObject({
      kind: "already",
      status: "enrolled",
    });
    expect(enrol(db, { courseId: course, personId: b.selfId, accountId: 2 }, NOW)).toMatchObject({
      kind: "already",
      status: "waitlisted",
      position: 1,
    });
    expect(db.prepare("SELECT count(*) FROM enrolments").pluck().get()).toBe(2);
  });

  it("previews a seat or the waitlist place without writing", () => {
    const db = freshDb();
    const course = addCourse(db, { capacity: 1 });
    const a = addUser(db, 1);
    const b = addUser(db, 2);
    expect(previewEnrolment(db, { courseId: course, personId: a.selfId, accountId: 1 }, NOW)).toMatchObject({
      kind: "ok",
      seat: true,
    });
    enrol(db, { courseId: course, personId: a.selfId, accountId: 1 }, NOW);
    expect(previewEnrolment(db, { courseId: course, personId: b.selfId, accountId: 2 }, NOW)).toMatchObject({
      kind: "ok",
      seat: false,
      position: 1,
    });
    expect(db.prepare("SELECT count(*) FROM enrolments").pluck().get()).toBe(1);
  });
});

describe("enrol: eligibility", () => {
  it("checks age ranges against a family member's birth year", () => {
    const db = freshDb();
    const kids = addCourse(db, { minAge: 6, maxAge: 12, audiences: ["pupils"] });
    const u = addUser(db, 1);
    const child = addFamilyMember(db, 1, { name: "小明", relation: "child", birthYear: 2018 }, NOW);
    const baby = addFamilyMember(db, 1, { name: "宝宝", relation: "child", birthYear: 2024 }, NOW);
    expect(enrol(db, { courseId: kids, personId: child.id, accountId: 1 }, NOW).kind).toBe("enrolled");
    expect(enrol(db, { courseId: kids, personId: baby.id, accountId: 1 }, NOW)).toEqual({
      kind: "ineligible",
      reason: "tooYoung",
    });
    // The account holder without a birth year counts as an adult: a children's course refuses them.
    expect(enrol(db, { courseId: kids, personId: u.selfId, accountId: 1 }, NOW)).toEqual({
      kind: "ineligible",
      reason: "childrenOnly",
    });
    const grandpa = addFamilyMember(db, 1, { name: "爷爷", relation: "grandparent", birthYear: 1950 }, NOW);
    expect(enrol(db, { courseId: kids, personId: grandpa.id, accountId: 1 }, NOW)).toEqual({
      kind: "ineligible",
      reason: "tooOld",
    });
    const seniors = addCourse(db, { audiences: ["seniors"] });
    expect(enrol(db, { courseId: seniors, personId: child.id, accountId: 1 }, NOW)).toEqual({
      kind: "ineligible",
      reason: "seniorsOnly",
    });
    expect(enrol(db, { courseId: seniors, personId: grandpa.id, accountId: 1 }, NOW).kind).toBe("enrolled");
  });

  it("refuses someone else's participant", () => {
    const db = freshDb();
    const course = addCourse(db);
    addUser(db, 1);
    const b = addUser(db, 2);
    expect(enrol(db, { courseId: course, personId: b.selfId, accountId: 1 }, NOW)).toEqual({
      kind: "ineligible",
      reason: "notYours",
    });
    expect(db.prepare("SELECT count(*) FROM enrolments").pluck().get()).toBe(0);
  });

  it("respects the enrolment window, the course status and the end of the course", () => {
    const db = freshDb();
    const u = addUser(db, 1);
    const later = addCourse(db, { opensAt: new Date(NOW.getTime() + DAY_MS).toISOString() });
    const gone = addCourse(db, { closesAt: new Date(NOW.getTime() - HOUR_MS).toISOString() });
    const draft = addCourse(db, { status: "draft" });
    const over = addCourse(db, { firstAt: new Date(NOW.getTime() - 30 * DAY_MS), sessions: 2 });
    const r = (c: number) => enrol(db, { courseId: c, personId: u.selfId, accountId: 1 }, NOW);
    expect(r(later)).toEqual({ kind: "closed", reason: "notYet" });
    expect(r(gone)).toEqual({ kind: "closed", reason: "windowClosed" });
    expect(r(draft)).toEqual({ kind: "closed", reason: "notOpen" });
    expect(r(over)).toEqual({ kind: "closed", reason: "ended" });
    expect(r(9999)).toEqual({ kind: "notFound" });
  });

  it("warns about a clash with the participant's other course unless accepted", () => {
    const db = freshDb();
    const u = addUser(db, 1);
    const at = new Date(NOW.getTime() + 3 * DAY_MS);
    const a = addCourse(db, { firstAt: at });
    const b = addCourse(db, { firstAt: new Date(at.getTime() + 30 * 60_000) });
    const c = addCourse(db, { firstAt: new Date(at.getTime() + 4 * HOUR_MS) });
    enrol(db, { courseId: a, personId: u.selfId, accountId: 1 }, NOW);
    const clash = enrol(db, { courseId: b, personId: u.selfId, accountId: 1 }, NOW);
    expect(clash).toMatchObject({ kind: "clash", courses: [{ courseId: a }] });
    expect(enrol(db, { courseId: c, personId: u.selfId, accountId: 1 }, NOW).kind).toBe("enrolled");
    expect(enrol(db, { courseId: b, personId: u.selfId, accountId: 1, acceptClash: true }, NOW).kind).toBe(
      "enrolled",
    );
  });

  it("asks consent for health-related courses and a phone when the course needs one", () => {
    const db = freshDb();
    const u = addUser(db, 1);
    const health = addCourse(db, { health: true });
    const phone = addCourse(db, { phone: true, firstAt: new Date(NOW.getTime() + 3 * DAY_MS) });
    expect(enrol(db, { courseId: health, personId: u.selfId, accountId: 1 }, NOW)).toEqual({
      kind: "needsConsent",
    });
    const ok = enrol(db, { courseId: health, personId: u.selfId, accountId: 1, consent: true }, NOW);
    expect(ok.kind).toBe("enrolled");
    expect(db.prepare("SELECT consent_at FROM enrolments WHERE course_id = ?").pluck().get(health)).toBe(
      NOW.toISOString(),
    );
    expect(enrol(db, { courseId: phone, personId: u.selfId, accountId: 1 }, NOW)).toEqual({
      kind: "needsPhone",
    });
    saveOwnPhone(db, 1, "+86 138 0000 0000");
    expect(enrol(db, { courseId: phone, personId: u.selfId, accountId: 1 }, NOW).kind).toBe("enrolled");
  });
});

describe("family members", () => {
  it("refuses a birth year in the future or malformed, accepts full-width digits", () => {
    expect(parseBirthYear("2030", NOW)).toEqual({ ok: false, reason: "future" });
    expect(parseBirthYear("abc", NOW)).toEqual({ ok: false, reason: "format" });
    expect(parseBirthYear("1850", NOW)).toEqual({ ok: false, reason: "tooOld" });
    expect(parseBirthYear("１９５２年", NOW)).toEqual({ ok: true, year: 1952 });
  });

  it("cleans names and does not create twins", () => {
    const db = freshDb();
    addUser(db, 1);
    const weird = `\u202e<b>奶奶</b>\u200b👵${"x".repeat(5000)}`;
    const a = addFamilyMember(db, 1, { name: weird, relation: "grandparent", birthYear: 1940 }, NOW);
    expect(a.name.startsWith("<b>奶奶</b>👵")).toBe(true);
    expect(Array.from(a.name).length).toBeLessThanOrEqual(40);
    const b = addFamilyMember(db, 1, { name: weird, relation: "grandparent", birthYear: 1940 }, NOW);
    expect(b.id).toBe(a.id);
    expect(db.prepare("SELECT count(*) FROM people WHERE account_id = 1").pluck().get()).toBe(2);
  });
});
