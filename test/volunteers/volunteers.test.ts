import { describe, expect, it } from "vitest";
import { slotBit } from "../../src/volunteers/availability.ts";
import {
  decideVolunteer,
  getVolunteer,
  listVolunteers,
  signUpVolunteer,
  volunteerCounts,
} from "../../src/volunteers/volunteers.ts";
import { addStaff, addUser, freshDb, NOW, outbox } from "./fixtures.ts";

const form = (userId: number) => ({
  userId,
  name: "  李\u200b老师 ",
  phone: "+8613800000000",
  skills: ["calligraphy", "made_up", "calligraphy"],
  skillsNote: "x".repeat(5000),
  availability: (1 << slotBit(5, 0)) | (1 << 30),
  languages: ["mandarin", "klingon"],
});

describe("volunteer sign-up and approval", () => {
  it("records a pending volunteer, cleaned, and asks every staff member", () => {
    const db = freshDb();
    addStaff(db, 90);
    addStaff(db, 91, "admin");
    addUser(db, 1);
    const r = signUpVolunteer(db, form(1), NOW, ["calligraphy", "first_aid"]);
    expect(r.ok).toBe(true);
    const v = getVolunteer(db, 1)!;
    expect(v).toMatchObject({
      name: "李老师",
      status: "pending",
      skills: ["calligraphy"],
      languages: ["mandarin"],
      availability: 1 << 15,
    });
    expect(v.skillsNote).toHaveLength(1000);
    expect(outbox(db, "vol-apply:").map((o) => [o.chatId, o.template])).toEqual([
      [90, "volunteers.pending"],
      [91, "volunteers.pending"],
    ]);
    expect(signUpVolunteer(db, form(1), NOW)).toEqual({ ok: false, reason: "already" });
  });

  it("lets staff, and only staff, decide once; the volunteer is told", () => {
    const db = freshDb();
    addStaff(db, 90);
    addUser(db, 1);
    addUser(db, 2);
    signUpVolunteer(db, form(1), NOW);
    expect(decideVolunteer(db, 2, 1, true, NOW)).toEqual({ ok: false, reason: "forbidden" });
    expect(getVolunteer(db, 1)?.status).toBe("pending");
    expect(decideVolunteer(db, 90, 1, true, NOW)).toMatchObject({
      ok: true,
      volunteer: { status: "approved" },
    });
    expect(decideVolunteer(db, 90, 1, false, NOW)).toEqual({
      ok: false,
      reason: "decided",
      status: "approved",
    });
    expect(outbox(db, "vol-decided:").map((o) => [o.chatId, JSON.parse(o.params)])).toEqual([
      [1, { approved: true }],
    ]);
    expect(decideVolunteer(db, 90, 777, true, NOW)).toEqual({ ok: false, reason: "unknown" });
  });

  it("lists volunteers by status, skill and availability", () => {
    const db = freshDb();
    addStaff(db, 90);
    for (const id of [1, 2]) addUser(db, id);
    signUpVolunteer(db, { ...form(1), skills: ["first_aid"] }, NOW);
    signUpVolunteer(db, { ...form(2), skills: ["computer"], availability: 1 << slotBit(0, 2) }, NOW);
    decideVolunteer(db, 90, 1, true, NOW);
    expect(volunteerCounts(db)).toMatchObject({ approved: 1, pending: 1 });
    expect(listVolunteers(db, { status: "pending" }).map((v) => v.userId)).toEqual([2]);
    expect(listVolunteers(db, { skill: "first_aid" }).map((v) => v.userId)).toEqual([1]);
    expect(listVolunteers(db, { availableMask: 0b111 }).map((v) => v.userId)).toEqual([2]);
  });
});
