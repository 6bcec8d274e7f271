import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { ALL_AVAILABLE } from "../../src/volunteers/availability.ts";
import { insertShift } from "../../src/volunteers/shifts-store.ts";

export const TZ = "Asia/Shanghai";
/** Monday 30 Nov 2026, 10:00 in Shanghai. */
export const NOW = new Date("2026-11-30T02:00:00.000Z");
/** Saturday 5 Dec 2026 09:00–12:00 in Shanghai: grid bit 5*3+0 = 15. */
export const SAT_MORNING = {
  startsAt: new Date("2026-12-05T01:00:00.000Z"),
  endsAt: new Date("2026-12-05T04:00:00.000Z"),
};
export const SAT_BIT = 15;

export function freshDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db);
  const at = NOW.toISOString();
  db.prepare(
    "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'centre', 'centre', '中心', 'Centre'), (2, 'jingtai', 'school', '景泰', 'Jingtai')",
  ).run();
  db.prepare(
    "INSERT INTO venues (id, code, site_id, name_zh, name_en) VALUES (1, 'hall', 1, '大厅', 'Hall')",
  ).run();
  void at;
  return db;
}

export function addUser(db: Db, id: number, name = `U${id}`): void {
  db.prepare("INSERT INTO users (id, first_name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(
    id,
    name,
    NOW.toISOString(),
  );
  db.prepare(
    "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (?, 1, ?, 'self', ?) ON CONFLICT DO NOTHING",
  ).run(id, name, NOW.toISOString());
}

export function addStaff(
  db: Db,
  id: number,
  role: "admin" | "staff" = "staff",
  siteId: number | null = null,
): void {
  addUser(db, id);
  db.prepare("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, ?, ?, ?)").run(
    id,
    role,
    siteId,
    NOW.toISOString(),
  );
}

export function addVolunteer(
  db: Db,
  id: number,
  opts: { skills?: string[]; availability?: number; status?: string; lastPinged?: string | null } = {},
): void {
  addUser(db, id);
  db.prepare(
    `INSERT INTO volunteers (user_id, name, skills, availability, status, consent_at, created_at, last_pinged_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    `V${id}`,
    JSON.stringify(opts.skills ?? []),
    opts.availability ?? ALL_AVAILABLE,
    opts.status ?? "approved",
    NOW.toISOString(),
    NOW.toISOString(),
    opts.lastPinged ?? null,
  );
}

export function addShift(
  db: Db,
  opts: { startsAt?: Date; endsAt?: Date; needed?: number; skills?: string[]; siteId?: number } = {},
): number {
  return insertShift(
    db,
    {
      titleZh: "书法班助教",
      titleEn: "Calligraphy helper",
      siteId: opts.siteId ?? 1,
      venueId: 1,
      startsAt: opts.startsAt ?? SAT_MORNING.startsAt,
      endsAt: opts.endsAt ?? SAT_MORNING.endsAt,
      needed: opts.needed ?? 1,
      skills: opts.skills ?? [],
    },
    NOW,
  );
}

export const outbox = (db: Db, prefix = "") =>
  db
    .prepare(
      "SELECT key, chat_id AS chatId, template, params, state FROM outbox WHERE key LIKE ? ORDER BY id",
    )
    .all(`${prefix}%`) as {
    key: string;
    chatId: number;
    template: string;
    params: string;
    state: string;
  }[];

export const assignmentStatus = (db: Db, shiftId: number, volunteerId: number) =>
  db
    .prepare("SELECT status FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?")
    .pluck()
    .get(shiftId, volunteerId) as string | undefined;
