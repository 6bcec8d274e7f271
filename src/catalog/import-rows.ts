/**
 * The row-level writes of the catalog import: upsert by code (counting what really changed),
 * fresh check-in codes, and matching a course's planned sessions to the ones already stored.
 */
import type { Db } from "../db/connection.ts";
import { newCode } from "../ids.ts";
import type { Schedule } from "./schedule.ts";
import { planSessions } from "./schedule.ts";

/** Rows of one kind: new, changed, or found exactly as the file says. */
export interface Tally {
  created: number;
  updated: number;
  unchanged: number;
}

/** Session counts of an import. */
export interface SessionTally extends Tally {
  /** Future sessions past the new end of a schedule, with no attendance: deleted. */
  removed: number;
  /** Sessions past the new end of a schedule kept because they already happened or have attendance. */
  kept: number;
}

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

/** A zeroed tally. */
export const tally = (): Tally => ({ created: 0, updated: 0, unchanged: 0 });

/**
 * Inserts or updates the row with this `code`, comparing first so that "updated" means changed.
 * `onInsert` holds columns written only when the row is new (creation stamps, check-in codes).
 */
export function upsertByCode(
  db: Db,
  table: "sites" | "venues" | "courses" | "shifts",
  code: string,
  values: Row,
  onInsert: Row,
  onChange: Row,
  count: Tally,
): number {
  const existing = db.prepare(`SELECT * FROM ${table} WHERE code = ?`).get(code) as Row | undefined;
  if (!existing) {
    const row: Row = { code, ...values, ...onInsert };
    const cols = Object.keys(row);
    const info = db
      .prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`)
      .run(row);
    count.created++;
    return Number(info.lastInsertRowid);
  }
  const changed = Object.keys(values).filter((k) => existing[k] !== values[k]);
  if (changed.length === 0) {
    count.unchanged++;
  } else {
    const row: Row = { ...values, ...onChange, id: existing.id as number };
    const cols = Object.keys(values).concat(Object.keys(onChange));
    db.prepare(`UPDATE ${table} SET ${cols.map((c) => `${c} = @${c}`).join(", ")} WHERE id = @id`).run(row);
    count.updated++;
  }
  return existing.id as number;
}

/** A check-in code not used by any session or shift; collisions are unlikely but cheap to rule out. */
export function freshCheckinCode(db: Db): string {
  const taken = db.prepare(
    "SELECT 1 FROM sessions WHERE checkin_code = @code UNION ALL SELECT 1 FROM shifts WHERE checkin_code = @code",
  );
  for (;;) {
    const code = newCode();
    if (!taken.get({ code })) return code;
  }
}

/**
 * Writes the course's sessions, matched to existing ones by seq: a match keeps its id, check-in
 * code, status and note and only gets new times and venue. Old sessions past the new end are
 * deleted only when they are still to come and nobody's attendance is recorded on them.
 */
export function syncSessions(
  db: Db,
  courseId: number,
  schedule: Schedule,
  venueId: number | null,
  opts: { timezone: string; now: Date },
  out: SessionTally,
): void {
  const planned = planSessions(schedule, opts.timezone);
  const existing = new Map(
    (
      db
        .prepare("SELECT id, seq, starts_at, ends_at, venue_id FROM sessions WHERE course_id = ?")
        .all(courseId) as Row[]
    ).map((r) => [r.seq as number, r]),
  );
  const update = db.prepare("UPDATE sessions SET starts_at = ?, ends_at = ?, venue_id = ? WHERE id = ?");
  const insert = db.prepare(
    "INSERT INTO sessions (course_id, seq, starts_at, ends_at, venue_id, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
  );
  for (const p of planned) {
    const old = existing.get(p.seq);
    if (!old) {
      insert.run(courseId, p.seq, p.startsAt, p.endsAt, venueId, freshCheckinCode(db));
      out.created++;
    } else if (old.starts_at !== p.startsAt || old.ends_at !== p.endsAt || old.venue_id !== venueId) {
      update.run(p.startsAt, p.endsAt, venueId, old.id);
      out.updated++;
    } else {
      out.unchanged++;
    }
  }
  const now = opts.now.toISOString();
  const hasAttendance = db.prepare("SELECT 1 FROM attendance WHERE session_id = ? LIMIT 1");
  const remove = db.prepare("DELETE FROM sessions WHERE id = ?");
  for (const [seq, old] of existing) {
    if (seq <= planned.length) continue;
    if ((old.starts_at as string) > now && !hasAttendance.get(old.id)) {
      remove.run(old.id);
      out.removed++;
    } else {
      out.kept++;
    }
  }
}
