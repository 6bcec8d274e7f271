/**
 * Where the demo residents enrolled (with a full course, its waiting list and an open offer) and
 * which past sessions they attended. Planned from the catalog and the seeded dice only, then
 * written with INSERT OR IGNORE, so a second run adds nothing.
 */
import type { Db } from "../db/connection.ts";
import type { PersonPlan } from "./people.ts";
import { Dice, mixSeed, seededRandom } from "./random.ts";
import { demoRows } from "./fixture.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoCourse {
  id: number;
  code: string;
  kind: string;
  capacity: number;
  min_age: number | null;
  max_age: number | null;
  audiences: string;
  needs_phone: number;
  health_related: number;
  status: string;
  enrol_opens_at: string | null;
  teacher_user_id: number | null;
  first_start: string | null;
  last_start: string | null;
}

/** The calligraphy course keeps free seats so a test (or a visitor) can enroll in it. */
export const DEMO_CALLIGRAPHY = "jt-calligraphy-senior";
/** The finished course whose participants are asked for ratings. */
export const DEMO_FINISHED = "pk-phone-safety";

/** Enrolments the personas start with; everything else about them is left for the visitor to do. */
const PERSONA_ENROLMENTS: ReadonlyArray<[key: string, course: string]> = [
  ["100001:王秀兰", "jt-meridian"],
  ["100001:王秀兰", DEMO_FINISHED],
  ["100001:王秀兰", "jt-health-lectures"],
  ["100003:赵桂芳", "jt-computer-senior"],
  ["100003:李朵朵", "sp-pingpong-kids"],
];

type Status = "enrolled" | "waitlisted" | "offered" | "cancelled";
export interface EnrolmentPlan {
  person: PersonPlan;
  course: DemoCourse;
  status: Status;
  createdAt: number;
  cancelledAt?: number;
  offerExpiresAt?: number;
}

function eligible(p: PersonPlan, c: DemoCourse, nowYear: number): boolean {
  const age = nowYear - p.birthYear;
  if (c.min_age !== null && age < c.min_age) return false;
  if (c.max_age !== null && age > c.max_age) return false;
  if (c.needs_phone && !p.hasPhone) return false;
  const aud = JSON.parse(c.audiences) as string[];
  const only = (...codes: string[]) => aud.every((a) => codes.includes(a));
  if (only("seniors")) return age >= 55;
  if (only("pupils", "preschool")) return age <= 14;
  if (only("parents_to_be")) return age >= 22 && age <= 40;
  if (only("parents")) return age >= 25 && age <= 50;
  if (!aud.some((a) => ["pupils", "preschool", "everyone"].includes(a))) return age >= 16;
  return true;
}

/** Small courses are the ones the demo fills to the last seat. */
const isFull = (c: DemoCourse) => c.kind === "course" && c.capacity <= 12;

/**
 * Who enrolls where. Small courses (12 seats or fewer) are filled to the last seat with a waiting
 * list behind them; the calligraphy course stays about 60% full; lectures and events get a crowd.
 * Each course draws from its own generator (seed mixed with its code) and a course that already
 * has demo enrolments is skipped, so a later run, even at another `now`, never overfills one.
 */
export function planEnrolments(
  seed: number,
  courses: readonly DemoCourse[],
  people: readonly PersonPlan[],
  seats: { takenByOthers: (courseId: number) => number; alreadySeeded: (courseId: number) => boolean },
  now: number,
  nowYear: number,
): EnrolmentPlan[] {
  const plans: EnrolmentPlan[] = [];
  const byKey = new Map(people.map((p) => [p.key, p]));
  const pool = people.filter((p) => !p.persona);
  const plannable = (c: DemoCourse) =>
    c.status !== "draft" &&
    c.status !== "cancelled" &&
    c.first_start !== null &&
    (c.enrol_opens_at === null || c.enrol_opens_at <= new Date(now).toISOString());
  // One open offer in the whole demo, on the first small course.
  const offerCourse = courses.find((c) => isFull(c) && plannable(c))?.code;
  for (const c of courses) {
    if (!plannable(c) || c.first_start === null || seats.alreadySeeded(c.id)) continue;
    const dice = new Dice(seededRandom(mixSeed(seed, c.code)));
    const first = Date.parse(c.first_start);
    const started = first < now;
    const window: [number, number] = started
      ? [first - 21 * DAY, Math.min(now - HOUR, first + 10 * DAY)]
      : [now - 28 * DAY, now - HOUR];
    const when = () => window[0] + dice.random() * (window[1] - window[0]);

    for (const [key, code] of PERSONA_ENROLMENTS) {
      const person = byKey.get(key);
      if (code === c.code && person) {
        plans.push({
          person,
          course: c,
          status: "enrolled",
          createdAt: started ? first - 7 * DAY : now - 3 * DAY,
        });
      }
    }
    const personaSeats = plans.filter((p) => p.course === c).length;
    const full = isFull(c);
    let target: number;
    if (full) target = c.capacity;
    else if (c.code === DEMO_CALLIGRAPHY) target = Math.round(c.capacity * 0.6);
    else if (c.kind !== "course") target = Math.min(c.capacity, dice.int(12, 30));
    else target = Math.round(c.capacity * (0.4 + 0.45 * dice.random()));
    const free = Math.max(0, Math.min(target, c.capacity - seats.takenByOthers(c.id)) - personaSeats);

    const candidates = dice.shuffle(pool.filter((p) => eligible(p, c, nowYear)));
    const seated = candidates.slice(0, free).map((person) => ({ person, createdAt: when() }));
    seated.sort((a, b) => a.createdAt - b.createdAt);
    const makeOffer = c.code === offerCourse && seated.length === free && free > 1;
    for (const [i, s] of seated.entries()) {
      const offered = makeOffer && i === seated.length - 1;
      plans.push({
        person: s.person,
        course: c,
        status: offered ? "offered" : "enrolled",
        createdAt: s.createdAt,
        ...(offered ? { offerExpiresAt: now + 20 * HOUR } : {}),
      });
    }
    if (!full || seated.length < free) continue;
    // The story of a full course: someone cancelled, the first on the list was offered the seat,
    // three more wait behind, in the order they asked.
    let t = Math.max(...seated.map((s) => s.createdAt));
    const rest = candidates.slice(free, free + 4);
    for (const [i, person] of rest.entries()) {
      t = Math.min(now - HOUR, t + dice.int(2, 30) * HOUR);
      if (i === 0)
        plans.push({
          person,
          course: c,
          status: "cancelled",
          createdAt: window[0],
          cancelledAt: now - 4 * HOUR,
        });
      else plans.push({ person, course: c, status: "waitlisted", createdAt: t });
    }
    if (makeOffer) {
      const offered = plans.find((p) => p.course === c && p.status === "offered");
      if (offered)
        offered.createdAt = Math.min(now - 2 * HOUR, Math.max(...seated.map((s) => s.createdAt)) + HOUR);
    }
  }
  return plans;
}

/**
 * Writes enrolments. Waiting-list numbers come from one global counter (the highest so far + 1),
 * handed out in the order people asked, as the enrolment service does.
 */
export function writeEnrolments(db: Db, plans: readonly EnrolmentPlan[], ids: Map<string, number>): number {
  const insert = demoRows(db).enrolment;
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  let added = 0;
  for (const p of [...plans].sort((a, b) => a.createdAt - b.createdAt)) {
    const created = iso(p.createdAt)!;
    added += insert.run({
      course_id: p.course.id,
      person_id: ids.get(p.person.key)!,
      account_id: p.person.accountId,
      status: p.status,
      queued: p.status === "waitlisted" || p.status === "offered" ? 1 : 0,
      offer_expires_at: iso(p.offerExpiresAt),
      // Health-related enrolments need the participant's consent to store what they reveal.
      consent_at: p.course.health_related ? created : null,
      created_at: created,
      updated_at: iso(p.cancelledAt ?? p.offerExpiresAt) ?? created,
      cancelled_at: iso(p.cancelledAt),
    }).changes;
  }
  return added;
}

/** Attendance at every past session after each enrolment: mostly present, some absent or excused. */
export function writeAttendance(
  db: Db,
  dice: Dice,
  plans: readonly EnrolmentPlan[],
  ids: Map<string, number>,
  now: number,
): number {
  const sessions = db.prepare(
    "SELECT id, starts_at, ends_at FROM sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at < ? ORDER BY seq",
  );
  const insert = demoRows(db).attendance;
  let added = 0;
  for (const p of plans) {
    if (p.status !== "enrolled") continue;
    const rows = sessions.all(p.course.id, new Date(now).toISOString()) as Array<{
      id: number;
      starts_at: string;
      ends_at: string;
    }>;
    for (const s of rows) {
      if (Date.parse(s.starts_at) < p.createdAt) continue;
      // The persona who will be asked to rate her finished course came every time.
      const roll = p.person.persona ? 0 : dice.random();
      const status = roll < 0.85 ? "present" : roll < 0.95 ? "absent" : "excused";
      const byCheckin = status === "present" && dice.chance(0.6);
      added += insert.run(
        s.id,
        ids.get(p.person.key)!,
        status,
        byCheckin ? "checkin" : "staff",
        byCheckin ? new Date(Date.parse(s.starts_at) + 5 * 60_000).toISOString() : s.ends_at,
        byCheckin ? null : p.course.teacher_user_id,
      ).changes;
    }
  }
  return added;
}
