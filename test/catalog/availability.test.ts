import { beforeEach, describe, expect, it } from "vitest";
import { courseAvailability, seatsTaken } from "../../src/catalog/availability.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";

const T0 = "2026-11-01T00:00:00.000Z";
let db: Db;
let personSeq = 0;

function course(
  fields: Partial<{ capacity: number; status: string; opens: string; closes: string }> = {},
): number {
  const r = db
    .prepare(
      `INSERT INTO courses (code, category, site_id, title_zh, title_en, capacity, status, enrol_opens_at, enrol_closes_at, created_at, updated_at)
       VALUES (?, 'arts', 1, '书法', 'Calligraphy', ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      `c${Math.random()}`,
      fields.capacity ?? 2,
      fields.status ?? "open",
      fields.opens ?? null,
      fields.closes ?? null,
      T0,
      T0,
    );
  return Number(r.lastInsertRowid);
}

function sessions(courseId: number, starts: string[], status = "scheduled"): void {
  starts.forEach((s, i) => {
    const end = new Date(Date.parse(s) + 3600_000).toISOString();
    db.prepare(
      "INSERT INTO sessions (course_id, seq, starts_at, ends_at, status, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(courseId, i + 1, s, end, status, `k${courseId}-${i}-${status}`);
  });
}

function enrol(courseId: number, status: "enrolled" | "waitlisted" | "offered" | "cancelled"): void {
  const person = Number(
    db
      .prepare("INSERT INTO people (name, relation, created_at) VALUES (?, 'self', ?)")
      .run(`p${++personSeq}`, T0).lastInsertRowid,
  );
  db.prepare(
    `INSERT INTO enrolments (course_id, person_id, status, waitlist_seq, offer_expires_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    courseId,
    person,
    status,
    status === "waitlisted" ? personSeq : null,
    status === "offered" ? "2026-12-01T00:00:00.000Z" : null,
    T0,
    T0,
  );
}

const at = (iso: string) => new Date(iso);

beforeEach(() => {
  db = openDatabase(":memory:");
  migrate(db);
  db.prepare(
    "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 's', 'school', '学校', 'School')",
  ).run();
});

describe("courseAvailability", () => {
  it("counts enrolled and offered as taken, waitlisted as waitlist, and ignores cancelled", () => {
    const id = course({ capacity: 3 });
    sessions(id, ["2026-12-01T01:00:00.000Z", "2026-12-08T01:00:00.000Z"]);
    enrol(id, "enrolled");
    enrol(id, "offered");
    enrol(id, "cancelled");
    enrol(id, "waitlisted");
    const a = courseAvailability(db, id, at("2026-11-10T00:00:00.000Z"));
    expect(a).toMatchObject({
      courseId: id,
      capacity: 3,
      taken: 2,
      free: 1,
      waitlist: 1,
      state: "open",
      sessionsLeft: 2,
    });
    expect(seatsTaken(db, id)).toBe(2);
  });

  it("is starting soon within 7 days of the first session, then open again once it has begun", () => {
    const id = course();
    sessions(id, ["2026-12-01T01:00:00.000Z", "2026-12-08T01:00:00.000Z"]);
    expect(courseAvailability(db, id, at("2026-11-23T00:00:00.000Z"))?.state).toBe("open");
    expect(courseAvailability(db, id, at("2026-11-25T00:00:00.000Z"))?.state).toBe("starting_soon");
    const mid = courseAvailability(db, id, at("2026-12-02T00:00:00.000Z"));
    expect(mid).toMatchObject({ state: "open", sessionsLeft: 1, nextSessionAt: "2026-12-08T01:00:00.000Z" });
    expect(mid?.firstSessionAt).toBe("2026-12-01T01:00:00.000Z");
    expect(mid?.lastSessionAt).toBe("2026-12-08T01:00:00.000Z");
  });

  it("is full when no seat is free (even when starting soon), and finished when no session is left", () => {
    const id = course({ capacity: 1 });
    sessions(id, ["2026-12-01T01:00:00.000Z"]);
    enrol(id, "enrolled");
    enrol(id, "waitlisted");
    expect(courseAvailability(db, id, at("2026-11-28T00:00:00.000Z"))).toMatchObject({
      state: "full",
      free: 0,
      waitlist: 1,
    });
    expect(courseAvailability(db, id, at("2026-12-01T02:00:00.000Z"))).toMatchObject({
      state: "finished",
      sessionsLeft: 0,
      nextSessionAt: null,
    });
  });

  it("ignores cancelled sessions", () => {
    const id = course();
    sessions(id, ["2026-11-20T01:00:00.000Z"]);
    db.prepare(
      "INSERT INTO sessions (course_id, seq, starts_at, ends_at, status, checkin_code) VALUES (?, 9, ?, ?, 'cancelled', 'x9')",
    ).run(id, "2026-12-20T01:00:00.000Z", "2026-12-20T02:00:00.000Z");
    expect(courseAvailability(db, id, at("2026-11-25T00:00:00.000Z"))?.state).toBe("finished");
  });

  it("is closed before enrolment opens, after it closes, when closed, or a draft; cancelled wins", () => {
    const window = course({ opens: "2026-11-10T00:00:00.000Z", closes: "2026-11-20T00:00:00.000Z" });
    sessions(window, ["2026-12-20T01:00:00.000Z"]);
    expect(courseAvailability(db, window, at("2026-11-05T00:00:00.000Z"))?.state).toBe("closed");
    expect(courseAvailability(db, window, at("2026-11-15T00:00:00.000Z"))?.state).toBe("open");
    expect(courseAvailability(db, window, at("2026-11-21T00:00:00.000Z"))?.state).toBe("closed");
    for (const status of ["closed", "draft", "cancelled"]) {
      const id = course({ status });
      sessions(id, ["2026-12-20T01:00:00.000Z"]);
      expect(courseAvailability(db, id, at("2026-11-15T00:00:00.000Z"))?.state).toBe(
        status === "cancelled" ? "cancelled" : "closed",
      );
    }
  });

  it("is closed when it has no sessions yet, and undefined for a course that does not exist", () => {
    const id = course();
    expect(courseAvailability(db, id, at("2026-11-15T00:00:00.000Z"))?.state).toBe("closed");
    expect(courseAvailability(db, 9999, at("2026-11-15T00:00:00.000Z"))).toBeUndefined();
    expect(seatsTaken(db, 9999)).toBe(0);
  });
});
