import { describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../src/clock.ts";
import { shiftBit, slotBit } from "../../src/volunteers/availability.ts";
import { pingShift, shiftCandidates } from "../../src/volunteers/matching.ts";
import { createShift, respondToShift } from "../../src/volunteers/shifts.ts";
import { getShift } from "../../src/volunteers/shifts-store.ts";
import {
  addShift,
  addStaff,
  addVolunteer,
  assignmentStatus,
  freshDb,
  NOW,
  outbox,
  SAT_BIT,
  SAT_MORNING,
  TZ,
} from "./fixtures.ts";

describe("shift matching", () => {
  it("reads the grid cell of a shift in the school's time zone", () => {
    expect(shiftBit(SAT_MORNING.startsAt, TZ)).toBe(SAT_BIT);
    expect(slotBit(5, 0)).toBe(SAT_BIT);
    // 20:00 UTC on Friday is 04:00 Saturday morning in Shanghai.
    expect(shiftBit("2026-12-04T20:00:00.000Z", TZ)).toBe(SAT_BIT);
  });

  it("asks only approved volunteers whose skills fit and who are free then", () => {
    const db = freshDb();
    addVolunteer(db, 1, { skills: ["first_aid"] });
    addVolunteer(db, 2, { skills: ["computer"] });
    addVolunteer(db, 3, { skills: ["first_aid", "elderly_care"] });
    addVolunteer(db, 4, { skills: ["first_aid"], availability: 1 << slotBit(5, 1) }); // Saturday afternoon only
    addVolunteer(db, 5, { skills: ["first_aid"], status: "pending" });
    addVolunteer(db, 6, { skills: ["first_aid"], status: "paused" });
    const id = addShift(db, { skills: ["first_aid", "elderly_care"], needed: 2 });
    const ranked = shiftCandidates(db, getShift(db, id)!, TZ, NOW).map((c) => c.userId);
    // Best skill fit first; no computer-only, no Saturday-afternoon-only, no pending or paused.
    expect(ranked).toEqual([3, 1]);
  });

  it("leaves out volunteers with an overlapping accepted shift", () => {
    const db = freshDb();
    addVolunteer(db, 1);
    addVolunteer(db, 2);
    const other = addShift(db, {
      startsAt: new Date(SAT_MORNING.startsAt.getTime() + HOUR),
      endsAt: new Date(SAT_MORNING.endsAt.getTime() + HOUR),
    });
    db.prepare(
      "INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at) VALUES (?, 1, 'accepted', ?)",
    ).run(other, NOW.toISOString());
    const id = addShift(db);
    expect(shiftCandidates(db, getShift(db, id)!, TZ, NOW).map((c) => c.userId)).toEqual([2]);
    // A shift that ends when the other starts does not clash (1 comes second: asked more lately).
    const before = addShift(db, {
      startsAt: new Date(SAT_MORNING.startsAt.getTime() - 2 * HOUR),
      endsAt: new Date(SAT_MORNING.startsAt.getTime() + HOUR),
    });
    expect(shiftCandidates(db, getShift(db, before)!, TZ, NOW).map((c) => c.userId)).toEqual([2, 1]);
  });

  it("pings in batches of twice the free places, those asked least lately first", () => {
    const db = freshDb();
    for (let id = 1; id <= 8; id++) addVolunteer(db, id);
    // Volunteers 1-3 were asked for earlier shifts this month.
    const earlier = addShift(db, {
      startsAt: new Date(NOW.getTime() + 20 * DAY),
      endsAt: new Date(NOW.getTime() + 20 * DAY + HOUR),
    });
    for (const v of [1, 2, 3]) {
      db.prepare(
        "INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at) VALUES (?, ?, 'declined', ?)",
      ).run(earlier, v, new Date(NOW.getTime() - 3 * DAY).toISOString());
    }
    const r = createShift(
      db,
      null,
      { titleZh: "t", titleEn: "t", siteId: 1, ...SAT_MORNING, needed: 2 },
      TZ,
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pinged).toEqual([4, 5, 6, 7]);
    expect(outbox(db, `shift-ping:${r.shiftId}:`).map((o) => o.chatId)).toEqual([4, 5, 6, 7]);
    // Nothing more while those answers are awaited.
    expect(pingShift(db, r.shiftId, TZ, NOW)).toEqual([]);
    // A decline makes room for one more.
    respondToShift(db, 4, r.shiftId, false, NOW);
    expect(pingShift(db, r.shiftId, TZ, NOW)).toEqual([8]);
    // Unanswered pings go stale after a day: the next batch goes out.
    expect(pingShift(db, r.shiftId, TZ, new Date(NOW.getTime() + 25 * HOUR))).toEqual([1, 2, 3]);
  });

  it("lets only staff create shifts in chat", () => {
    const db = freshDb();
    addVolunteer(db, 1);
    addStaff(db, 90);
    const input = { titleZh: "t", titleEn: "t", siteId: 1, ...SAT_MORNING, needed: 1 };
    expect(createShift(db, 1, input, TZ, NOW)).toEqual({ ok: false, reason: "forbidden" });
    expect(createShift(db, 90, { ...input, startsAt: new Date(NOW.getTime() - HOUR) }, TZ, NOW)).toEqual({
      ok: false,
      reason: "past",
    });
    expect(createShift(db, 90, { ...input, needed: 0 }, TZ, NOW)).toEqual({ ok: false, reason: "invalid" });
    const ok = createShift(db, 90, input, TZ, NOW);
    expect(ok.ok && ok.pinged).toEqual([1]);
    expect(assignmentStatus(db, ok.ok ? ok.shiftId : 0, 1)).toBe("pinged");
  });
});
