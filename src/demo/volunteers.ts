/**
 * The demo's "community education teacher library": volunteers with skills and availability,
 * their shift assignments and hours, and the staff, teacher and admin roles of the personas.
 */
import type { Db } from "../db/connection.ts";
import { newCode } from "../ids.ts";
import { enqueue } from "../notify/outbox.ts";
import { zonedTimeToUtc } from "../time.ts";
import type { Dice } from "./random.ts";
import { demoRows } from "./fixture.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ADMIN_ID = 100007;

interface VolunteerPlan {
  userId: number;
  name?: string;
  status: "approved" | "pending" | "paused";
  skills: string[];
  note: string;
  languages: string[];
}

/** Skill codes are those of data/skills.yaml (a test keeps them in step). */
export const DEMO_VOLUNTEERS: readonly VolunteerPlan[] = [
  {
    userId: 100004,
    name: "陈淑珍",
    status: "approved",
    skills: ["teaching", "calligraphy", "elderly_care"],
    note: "退休语文教师，练书法三十年。",
    languages: ["mandarin"],
  },
  {
    userId: 900041,
    status: "approved",
    skills: ["computer", "teaching", "photography"],
    note: "",
    languages: ["mandarin"],
  },
  {
    userId: 900042,
    status: "approved",
    skills: ["first_aid", "elderly_care"],
    note: "护士，懂急救。",
    languages: ["mandarin"],
  },
  {
    userId: 900043,
    status: "approved",
    skills: ["event_support", "music", "dance"],
    note: "",
    languages: ["mandarin"],
  },
  { userId: 900044, status: "approved", skills: ["sports", "childcare"], note: "", languages: ["mandarin"] },
  { userId: 900045, status: "pending", skills: ["handicraft", "cooking"], note: "", languages: ["mandarin"] },
  {
    userId: 900046,
    status: "approved",
    skills: ["event_support", "photography"],
    note: "",
    languages: ["mandarin", "english"],
  },
  {
    userId: 900047,
    status: "approved",
    skills: ["english", "teaching", "childcare"],
    note: "Native English speaker, happy to help with children's classes.",
    languages: ["english"],
  },
  {
    userId: 900048,
    status: "pending",
    skills: ["law", "psychology"],
    note: "律师，可以做法律咨询。",
    languages: ["mandarin"],
  },
  {
    userId: 900049,
    status: "paused",
    skills: ["painting", "calligraphy"],
    note: "",
    languages: ["mandarin"],
  },
];

/** Availability bits: bit (day * 3 + slot), day 0 = Monday, slot 0 morning / 1 afternoon / 2 evening. */
function availability(dice: Dice): number {
  let bits = 0;
  const n = dice.int(3, 8);
  for (let i = 0; i < n; i++) bits |= 1 << (dice.int(0, 6) * 3 + dice.int(0, 2));
  return bits;
}

/** Inserts the volunteers whose user exists and who are not volunteers yet. */
export function writeVolunteers(db: Db, dice: Dice, now: number): number {
  const user = db.prepare("SELECT first_name, last_name, phone FROM users WHERE id = ?");
  const insert = demoRows(db).volunteer;
  let added = 0;
  for (const v of DEMO_VOLUNTEERS) {
    const bits = availability(dice);
    const created = now - dice.int(20, 120) * DAY;
    const u = user.get(v.userId) as
      | { first_name: string; last_name: string | null; phone: string | null }
      | undefined;
    if (!u) continue;
    const decided = v.status !== "pending";
    added += insert.run({
      user_id: v.userId,
      name: v.name ?? [u.first_name, u.last_name].filter(Boolean).join(" "),
      phone: u.phone,
      skills: JSON.stringify(v.skills),
      note: v.note,
      availability: bits,
      languages: JSON.stringify(v.languages),
      status: v.status,
      created: new Date(created).toISOString(),
      decided_by: decided ? ADMIN_ID : null,
      decided_at: decided ? new Date(created + 2 * DAY).toISOString() : null,
    }).changes;
  }
  return added;
}

/** When the catalog brought no shifts, two of the demo's own, so the volunteer side has something. */
export function writeFallbackShifts(db: Db, timezone: string, now: number): number {
  if ((db.prepare("SELECT COUNT(*) FROM shifts").pluck().get() as number) > 0) return 0;
  const site = db.prepare("SELECT id FROM sites ORDER BY kind = 'school' DESC, id LIMIT 1").pluck().get() as
    | number
    | undefined;
  if (site === undefined) return 0;
  const date = (days: number) => new Date(now + days * DAY).toISOString().slice(0, 10);
  const shifts: ReadonlyArray<
    [code: string, zh: string, en: string, day: string, from: string, to: string, skills: string[]]
  > = [
    ["demo-reception-past", "前台接待", "Front desk", date(-7), "09:00", "12:00", ["event_support"]],
    ["demo-reception-next", "前台接待", "Front desk", date(5), "09:00", "12:00", ["event_support"]],
  ];
  const insert = demoRows(db).shift;
  let added = 0;
  for (const [code, zh, en, day, from, to, skills] of shifts) {
    added += insert.run(
      code,
      zh,
      en,
      site,
      zonedTimeToUtc(day, from, timezone).toISOString(),
      zonedTimeToUtc(day, to, timezone).toISOString(),
      JSON.stringify(skills),
      newCode(),
      ADMIN_ID,
      new Date(now - 10 * DAY).toISOString(),
    ).changes;
  }
  return added;
}

/**
 * Assignments for every shift with a code: past shifts were worked (check-in and hours, one
 * no-show), future ones are partly accepted, one ping is unanswered and one declined. Volunteers
 * whose skills match the shift are asked first.
 */
export function writeAssignments(db: Db, now: number): number {
  const shifts = db
    .prepare(
      "SELECT id, starts_at, ends_at, needed, skills, created_at FROM shifts WHERE code IS NOT NULL ORDER BY starts_at, code",
    )
    .all() as Array<{
    id: number;
    starts_at: string;
    ends_at: string;
    needed: number;
    skills: string;
    created_at: string;
  }>;
  const approved = db
    .prepare(
      "SELECT user_id, skills FROM volunteers WHERE status = 'approved' AND user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id",
    )
    .all(JSON.stringify(DEMO_VOLUNTEERS.map((v) => v.userId))) as Array<{ user_id: number; skills: string }>;
  const insert = demoRows(db).assignment;
  const iso = (ms: number) => new Date(ms).toISOString();
  let added = 0;
  for (const [n, s] of shifts.entries()) {
    const wanted = JSON.parse(s.skills) as string[];
    const score = (v: { skills: string }) =>
      (JSON.parse(v.skills) as string[]).filter((k) => wanted.includes(k)).length;
    // Rotate the list per shift so that hours spread over everyone, then prefer matching skills.
    const rotated = approved.map((_, i) => approved[(i + n) % approved.length]!);
    const ranked = rotated.sort((a, b) => score(b) - score(a));
    const start = Date.parse(s.starts_at);
    const end = Date.parse(s.ends_at);
    const pinged = Math.max(Date.parse(s.created_at), Math.min(now - 2 * DAY, start - 5 * DAY));
    if (end < now) {
      const crew = ranked.slice(0, Math.min(s.needed, ranked.length));
      for (const [i, v] of crew.entries()) {
        const noShow = crew.length > 2 && i === crew.length - 1;
        const hours = Math.round(((end - start) / HOUR) * 2) / 2;
        added += insert.run(
          s.id,
          v.user_id,
          "accepted",
          iso(pinged),
          iso(pinged + 3 * HOUR),
          noShow ? null : iso(start - 10 * 60_000),
          noShow ? null : hours,
        ).changes;
      }
    } else {
      const accepted = Math.ceil(s.needed / 2);
      for (const [i, v] of ranked.slice(0, accepted + 2).entries()) {
        const status = i < accepted ? "accepted" : i === accepted ? "pinged" : "declined";
        added += insert.run(
          s.id,
          v.user_id,
          status,
          iso(pinged),
          status === "pinged" ? null : iso(pinged + 5 * HOUR),
          null,
          null,
        ).changes;
      }
    }
  }
  return added + pingPersona(db, now);
}

/**
 * The volunteer persona always has one unanswered ping to try in the sandbox: the next open
 * shift, with its ping message in the outbox (the sender delivers it once the bot runs).
 */
function pingPersona(db: Db, now: number): number {
  const persona = DEMO_VOLUNTEERS[0]?.userId;
  if (persona === undefined) return 0;
  const after = new Date(now + HOUR).toISOString();
  const waiting = db
    .prepare<[number, string], { n: number }>(
      `SELECT count(*) AS n FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id
       WHERE a.volunteer_id = ? AND a.status = 'pinged' AND s.status = 'open' AND s.starts_at > ?`,
    )
    .get(persona, after)?.n;
  if (waiting) return 0;
  const shift = db
    .prepare<[string, number], { id: number }>(
      `SELECT s.id FROM shifts s WHERE s.code IS NOT NULL AND s.status = 'open' AND s.starts_at > ?
         AND NOT EXISTS (SELECT 1 FROM shift_assignments a WHERE a.shift_id = s.id AND a.volunteer_id = ?
                           AND a.status IN ('accepted', 'pinged'))
       ORDER BY s.starts_at LIMIT 1`,
    )
    .get(after, persona);
  if (!shift) return 0;
  const changed = db
    .prepare(
      `INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at) VALUES (?, ?, 'pinged', ?)
       ON CONFLICT (shift_id, volunteer_id) DO UPDATE SET status = 'pinged', responded_at = NULL`,
    )
    .run(shift.id, persona, new Date(now - HOUR).toISOString()).changes;
  const at = new Date(now);
  enqueue(
    db,
    {
      key: `shift-ping:${shift.id}:${persona}:demo`,
      chatId: persona,
      template: "volunteers.shiftPing",
      params: { shiftId: shift.id, volunteerId: persona },
      dueAt: at,
    },
    at,
  );
  return changed;
}

/** The demo teacher persona (personas.ts) and the catalog courses, by code, that they teach. */
const DEMO_TEACHER_ID = 100005;
export const DEMO_TEACHER_COURSES = ["jt-calligraphy-senior", "jt-calligraphy-spring", "jt-spring-couplets"];

/**
 * The personas' roles: teacher of the demo teacher's courses (and linked as their teacher),
 * staff for all sites, admin. Courses are found by code, never by the teacher's name as typed
 * in the catalog.
 */
export function writeRoles(db: Db, now: string): number {
  const insert = demoRows(db).role;
  const courseByCode = db.prepare("SELECT id FROM courses WHERE code = ?").pluck();
  const link = demoRows(db).teacherLink;
  let added = 0;
  for (const code of DEMO_TEACHER_COURSES) {
    const courseId = courseByCode.get(code) as number | undefined;
    if (courseId === undefined) continue;
    added += insert.run(DEMO_TEACHER_ID, "teacher", courseId, ADMIN_ID, now).changes;
    link.run(DEMO_TEACHER_ID, courseId);
  }
  added += insert.run(100006, "staff", null, ADMIN_ID, now).changes;
  added += insert.run(100007, "admin", null, null, now).changes;
  return added;
}
