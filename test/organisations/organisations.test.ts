import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connection.ts";
import { listParticipants } from "../../src/enrollment/family.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import {
  acceptInvite,
  addMember,
  createInvite,
  employerOf,
  enrolMember,
  listMembers,
  memberLeft,
  setEmployer,
} from "../../src/organisations/members.ts";
import { organisationRates } from "../../src/organisations/rates.ts";
import type { RegisterInput } from "../../src/organisations/register.ts";
import {
  foldName,
  parseEmployees,
  registerOrganisation,
  setEmployees,
} from "../../src/organisations/register.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";

const YEAR_START = new Date("2025-12-31T16:00:00.000Z"); // 2026-01-01 00:00 in Asia/Shanghai
const OFFER = { offerHours: 24 };

function register(db: Db, o: Partial<RegisterInput> = {}) {
  const r = registerOrganisation(
    db,
    { siteId: 1, kind: "enterprise", name: "东湖科技有限公司", contactName: "王经理", employees: 4, ...o },
    9,
    NOW,
  );
  if (r.kind !== "registered") throw new Error(`not registered: ${r.kind}`);
  return r.organisation;
}

/** Makes `userId` the organisation's contact through a one-time link. */
function becomeContact(db: Db, orgId: number, userId: number) {
  addUser(db, userId);
  const token = createInvite(db, orgId, 9, NOW);
  expect(acceptInvite(db, token, userId, NOW).kind).toBe("accepted");
}

function add(db: Db, orgId: number, contactId: number, name: string) {
  const r = addMember(db, { organisationId: orgId, contactId, name }, NOW);
  if (r.kind !== "added") throw new Error(`not added: ${r.kind}`);
  return r.member;
}

/** An enrolment row as the past left it (enrol() refuses courses that have ended). */
function pastEnrolment(db: Db, courseId: number, personId: number, status = "enrolled") {
  return Number(
    db
      .prepare(
        `INSERT INTO enrolments (course_id, person_id, status, created_at, updated_at, cancelled_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(courseId, personId, status, "2026-02-20T00:00:00.000Z", "2026-02-20T00:00:00.000Z", null)
      .lastInsertRowid,
  );
}

function present(db: Db, courseId: number, personId: number) {
  const session = db.prepare("SELECT id FROM sessions WHERE course_id = ? AND seq = 1").pluck().get(courseId);
  db.prepare(
    "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
  ).run(session, personId, NOW.toISOString());
}

describe("registering an organisation", () => {
  it("refuses 0 employees, a missing name and a missing contact, with the reason", () => {
    const db = freshDb();
    const base = { siteId: 1, kind: "enterprise" as const, name: "甲公司", contactName: "李", employees: 3 };
    expect(registerOrganisation(db, { ...base, employees: 0 }, 9, NOW).kind).toBe("noEmployees");
    expect(registerOrganisation(db, { ...base, employees: 2.5 }, 9, NOW).kind).toBe("noEmployees");
    expect(registerOrganisation(db, { ...base, name: " ， " }, 9, NOW).kind).toBe("noName");
    expect(registerOrganisation(db, { ...base, contactName: "" }, 9, NOW).kind).toBe("noContact");
    expect(registerOrganisation(db, { ...base, siteId: 77 }, 9, NOW).kind).toBe("noSite");
    expect(db.prepare("SELECT COUNT(*) FROM organisations").pluck().get()).toBe(0);
  });

  it("catches the same name at the same site, however it is spaced or punctuated", () => {
    const db = freshDb();
    const first = register(db, { name: "东湖科技（有限）公司" });
    const again = registerOrganisation(
      db,
      {
        siteId: 1,
        kind: "enterprise",
        name: " 东湖 科技(有限)公司 ",
        contactName: "张",
        employees: 9,
        confirmSimilar: true,
      },
      9,
      NOW,
    );
    expect(again).toMatchObject({ kind: "duplicate", existing: { id: first.id } });
    expect(foldName("ＡＢＣ Co., Ltd.")).toBe("abccoltd");
  });

  it("asks 'did you mean' for a close name, and registers it once confirmed", () => {
    const db = freshDb();
    const first = register(db, { name: "东湖科技有限公司" });
    const close = registerOrganisation(
      db,
      { siteId: 1, kind: "enterprise", name: "东湖科技公司", contactName: "张", employees: 9 },
      9,
      NOW,
    );
    expect(close).toMatchObject({ kind: "similar", candidates: [{ id: first.id }] });
    const unrelated = registerOrganisation(
      db,
      { siteId: 1, kind: "school", name: "湖滨小学", contactName: "赵", employees: 30 },
      9,
      NOW,
    );
    expect(unrelated.kind).toBe("registered");
    const confirmed = registerOrganisation(
      db,
      {
        siteId: 1,
        kind: "enterprise",
        name: "东湖科技公司",
        contactName: "张",
        employees: 9,
        confirmSimilar: true,
      },
      9,
      NOW,
    );
    expect(confirmed.kind).toBe("registered");
  });

  it("allows the same name at another site", () => {
    const db = freshDb();
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (2, 'S2', 'school', '西湖', 'West')",
    ).run();
    register(db, { name: "社区合唱队", kind: "community_team" });
    expect(register(db, { name: "社区合唱队", kind: "community_team", siteId: 2 }).siteId).toBe(2);
  });

  it("refuses an employee count below the people already linked", () => {
    const db = freshDb();
    const org = register(db, { employees: 3 });
    becomeContact(db, org.id, 50);
    add(db, org.id, 50, "甲");
    const b = add(db, org.id, 50, "乙");
    expect(setEmployees(db, org.id, 1, NOW)).toEqual({ kind: "belowLinked", linked: 2 });
    expect(setEmployees(db, org.id, 0, NOW)).toEqual({ kind: "noEmployees" });
    expect(memberLeft(db, b.id, 50, NOW)).toBe(true);
    expect(setEmployees(db, org.id, 1, NOW)).toEqual({ kind: "updated", employees: 1 });
    expect(addMember(db, { organisationId: org.id, contactId: 50, name: "丙" }, NOW)).toEqual({
      kind: "full",
      employees: 1,
    });
  });

  it("reads typed counts, full-width digits too", () => {
    expect(parseEmployees("１２")).toBe(12);
    expect(parseEmployees(" 40 ")).toBe(40);
    expect(parseEmployees("forty")).toBeUndefined();
    expect(parseEmployees("-3")).toBeUndefined();
  });
});

describe("the contact and their people", () => {
  it("a link works once: a second person is refused, an unknown token says so", () => {
    const db = freshDb();
    const org = register(db);
    addUser(db, 50);
    addUser(db, 51);
    const token = createInvite(db, org.id, 9, NOW);
    expect(acceptInvite(db, "NOPE", 50, NOW).kind).toBe("unknown");
    expect(acceptInvite(db, token, 50, NOW).kind).toBe("accepted");
    expect(acceptInvite(db, token, 51, NOW)).toMatchObject({ kind: "used", byYou: false });
    expect(acceptInvite(db, token, 50, NOW)).toMatchObject({ kind: "used", byYou: true });
    const late = createInvite(db, org.id, 9, NOW);
    expect(acceptInvite(db, late, 51, new Date(NOW.getTime() + 15 * DAY_MS)).kind).toBe("expired");
  });

  it("only the contact adds people; they are not shown as family members", () => {
    const db = freshDb();
    const org = register(db);
    becomeContact(db, org.id, 50);
    addUser(db, 51);
    expect(addMember(db, { organisationId: org.id, contactId: 51, name: "甲" }, NOW).kind).toBe("notContact");
    expect(addMember(db, { organisationId: org.id, contactId: 50, name: "  " }, NOW).kind).toBe("badName");
    add(db, org.id, 50, "甲");
    expect(listParticipants(db, 50).map((p) => p.isSelf)).toEqual([true]);
  });

  it("enrols an employee with consent recorded, under every enrolment rule", () => {
    const db = freshDb();
    const org = register(db);
    becomeContact(db, org.id, 50);
    const m = add(db, org.id, 50, "甲");
    const course = addCourse(db, { capacity: 1 });
    expect(
      enrolMember(db, { memberId: m.id, contactId: 50, courseId: course, consent: false }, NOW).kind,
    ).toBe("noConsent");
    addUser(db, 51);
    expect(
      enrolMember(db, { memberId: m.id, contactId: 51, courseId: course, consent: true }, NOW).kind,
    ).toBe("notMember");
    const r = enrolMember(db, { memberId: m.id, contactId: 50, courseId: course, consent: true }, NOW);
    expect(r.kind).toBe("enrolled");
    const row = db
      .prepare("SELECT organisation_id AS o, consent_at AS c, consent_by AS b FROM organisation_enrolments")
      .get();
    expect(row).toEqual({ o: org.id, c: NOW.toISOString(), b: 50 });
    const again = enrolMember(db, { memberId: m.id, contactId: 50, courseId: course, consent: true }, NOW);
    expect(again.kind).toBe("already");
    // A seat in a course that has not begun yet is not training yet.
    expect(listMembers(db, org.id, YEAR_START, NOW)).toMatchObject([{ name: "甲", trained: false }]);
    const later = new Date(NOW.getTime() + 3 * DAY_MS);
    expect(listMembers(db, org.id, YEAR_START, later)).toMatchObject([{ name: "甲", trained: true }]);
  });

  it("a resident names their organisation, changes it, clears it; /forget removes it", () => {
    const db = freshDb();
    const a = register(db, { name: "甲公司" });
    const b = register(db, { name: "乙学校", kind: "school" });
    addUser(db, 60);
    expect(setEmployer(db, 60, a.id, NOW).kind).toBe("set");
    expect(setEmployer(db, 60, b.id, NOW).kind).toBe("set");
    expect(employerOf(db, 60)?.id).toBe(b.id);
    expect(db.prepare("SELECT COUNT(*) FROM organisation_members").pluck().get()).toBe(1);
    expect(setEmployer(db, 60, null, NOW).kind).toBe("cleared");
    expect(employerOf(db, 60)).toBeUndefined();
    setEmployer(db, 60, a.id, NOW);
    forgetAccount(db, 60, NOW, OFFER);
    expect(db.prepare("SELECT COUNT(*) FROM organisation_members").pluck().get()).toBe(0);
  });
});

describe("training rates against hand-computed figures", () => {
  it("counts this year's trained current people over employees, per organisation and for the district", () => {
    const db = freshDb();
    const thisYear = addCourse(db, { firstAt: new Date("2026-03-02T01:00:00.000Z"), sessions: 4 });
    const lastYear = addCourse(db, { firstAt: new Date("2025-10-06T01:00:00.000Z"), sessions: 4 });
    const event = addCourse(db, { firstAt: new Date("2026-05-01T01:00:00.000Z"), sessions: 1 });
    db.prepare("UPDATE courses SET kind = 'event' WHERE id = ?").run(event);

    // Enterprise, 4 employees: 甲 enrolled this year (trained), 乙 only last year (not),
    // 丙 cancelled but came to a session this year (trained), 丁 only at an event (not). 2 / 4.
    const x = register(db, { name: "东湖科技有限公司", employees: 4 });
    becomeContact(db, x.id, 50);
    const [m1, m2, m3, m4] = ["甲", "乙", "丙", "丁"].map((n) => add(db, x.id, 50, n));
    pastEnrolment(db, thisYear, m1!.personId);
    pastEnrolment(db, lastYear, m2!.personId);
    pastEnrolment(db, thisYear, m3!.personId, "cancelled");
    present(db, thisYear, m3!.personId);
    pastEnrolment(db, event, m4!.personId);

    // School, 5 employees: 戊 trained; 己 trained then left (not counted); resident 70 trained
    // and said they work here; resident 71 too, then used /forget (no longer linked). 2 / 5.
    const y = register(db, { name: "湖滨小学", kind: "school", employees: 5 });
    becomeContact(db, y.id, 51);
    const p1 = add(db, y.id, 51, "戊");
    const p2 = add(db, y.id, 51, "己");
    pastEnrolment(db, thisYear, p1.personId);
    pastEnrolment(db, thisYear, p2.personId);
    memberLeft(db, p2.id, 51, NOW);
    for (const id of [70, 71]) {
      const u = addUser(db, id);
      pastEnrolment(db, thisYear, u.selfId);
      setEmployer(db, id, y.id, NOW);
    }
    forgetAccount(db, 71, NOW, OFFER);

    // Community team, 3 members, nobody yet: 0 / 3.
    register(db, { name: "夕阳红合唱队", kind: "community_team", employees: 3 });

    const r = organisationRates(db, { yearStart: YEAR_START, now: NOW });
    expect(r.organisations.map((o) => [o.name, o.members, o.trained, o.employees, o.rate])).toEqual([
      ["夕阳红合唱队", 0, 0, 3, 0],
      ["湖滨小学", 2, 2, 5, 0.4],
      ["东湖科技有限公司", 4, 2, 4, 0.5],
    ]);
    // District: (0 + 2 + 2) / (3 + 5 + 4) = 4 / 12.
    expect(r).toMatchObject({ employees: 12, trained: 4, rate: 0.333 });
    expect(listMembers(db, y.id, YEAR_START, NOW).map((m) => [m.name, m.source, m.trained])).toEqual([
      ["戊", "contact", true],
      ["User70", "resident", true],
    ]);
    expect(organisationRates(db, { yearStart: YEAR_START, now: NOW, siteIds: [2] }).rate).toBeNull();
  });

  it("keeps the people a contact added when the contact uses /forget, and hands them to the next contact", () => {
    const db = freshDb();
    const thisYear = addCourse(db, { firstAt: new Date("2026-03-02T01:00:00.000Z"), sessions: 4 });
    const x = register(db, { employees: 2 });
    becomeContact(db, x.id, 50);
    const m = add(db, x.id, 50, "甲");
    pastEnrolment(db, thisYear, m.personId);
    forgetAccount(db, 50, NOW, OFFER);
    expect(organisationRates(db, { yearStart: YEAR_START, now: NOW }).organisations[0]).toMatchObject({
      members: 1,
      trained: 1,
      rate: 0.5,
    });
    becomeContact(db, x.id, 52);
    expect(listMembers(db, x.id, YEAR_START, NOW)).toMatchObject([{ name: "—", trained: true }]);
    const later = addCourse(db);
    expect(enrolMember(db, { memberId: m.id, contactId: 52, courseId: later, consent: true }, NOW).kind).toBe(
      "enrolled",
    );
  });
});
