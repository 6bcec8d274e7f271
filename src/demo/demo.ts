/**
 * Demo data for the sandbox and for trying the bot: residents, families, enrolments, attendance,
 * volunteers, shifts, feedback and wishes on top of an imported catalog. Deterministic (a seeded
 * generator) and idempotent (a second run adds nothing).
 */

import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { localParts } from "../time.ts";
import type { DemoCourse } from "./activity.ts";
import { planEnrolments, writeAttendance, writeEnrolments } from "./activity.ts";
import { writeFeedback, writeWishes } from "./feedback.ts";
import { DEMO_RESIDENT_COUNT, DEMO_RESIDENT_FIRST_ID, planPeople, writePeople } from "./people.ts";
import { DEMO_PERSONAS } from "./personas.ts";
import { Dice, mixSeed, seededRandom } from "./random.ts";
import { writePlanDemo } from "./plan.ts";
import { writeTeamDemo } from "./teams.ts";
import { writeAssignments, writeFallbackShifts, writeRoles, writeVolunteers } from "./volunteers.ts";

export { DEMO_CALLIGRAPHY, DEMO_FINISHED } from "./activity.ts";
export type { DemoPersona, PersonaRole } from "./personas.ts";
export { DEMO_PERSONAS, seededRandom };

export interface SeedDemoOptions {
  /** The school's time zone (ages and demo shift times are local). */
  timezone: string;
  /** "Today" for the demo: enrolments spread over the weeks before it, attendance only before it. */
  now: Date;
  /** A random source in [0, 1); default a generator with a fixed seed. Pass a seeded one to vary the demo. */
  random?: () => number;
}

/** Rows added by one run; all zero on a second run. */
export interface SeedDemoResult {
  users: number;
  people: number;
  roles: number;
  enrolments: number;
  attendance: number;
  volunteers: number;
  shifts: number;
  assignments: number;
  feedback: number;
  wishes: number;
  /** Learning teams formed (the one demo team, or none on a second run). */
  teams: number;
}

const DEFAULT_SEED = 20261128;

/**
 * Seeds the demo in one IMMEDIATE transaction. Needs the catalog imported first (throws when there
 * are no courses). Personas (DEMO_PERSONAS, ids 100001–100007) and residents (900001 up) get fixed
 * ids; everything else is found again by its natural key, so running twice adds nothing.
 */
export function seedDemo(db: Db, opts: SeedDemoOptions): SeedDemoResult {
  // One seed per part, so that a part planned differently (a course opening later) does not
  // shift the random draws of every part after it.
  const random = opts.random ?? seededRandom(DEFAULT_SEED);
  const seed = Math.floor(random() * 2 ** 32);
  const dice = (part: string) => new Dice(seededRandom(mixSeed(seed, part)));
  const now = opts.now.getTime();
  const nowIso = opts.now.toISOString();
  const nowYear = localParts(opts.now, opts.timezone).year;
  return immediate(db, () => {
    if ((db.prepare("SELECT COUNT(*) FROM courses").pluck().get() as number) === 0) {
      throw new Error("seedDemo needs the catalog: import data/catalog.yaml first");
    }
    const plan = planPeople(dice("people"), opts.now);
    const { ids, users, people } = writePeople(db, plan, nowIso);
    const roles = writeRoles(db, nowIso);

    const courses = db
      .prepare(
        `SELECT c.id, c.code, c.kind, c.capacity, c.min_age, c.max_age, c.audiences, c.needs_phone, c.health_related,
                c.status, c.enrol_opens_at, c.teacher_user_id, MIN(s.starts_at) AS first_start, MAX(s.starts_at) AS last_start
         FROM courses c LEFT JOIN sessions s ON s.course_id = c.id
         GROUP BY c.id ORDER BY c.code`,
      )
      .all() as DemoCourse[];
    // Seats taken by real (non-demo) people are respected, so the demo never overfills a course.
    const demoAccounts = JSON.stringify([
      ...DEMO_PERSONAS.map((p) => p.id),
      ...Array.from({ length: DEMO_RESIDENT_COUNT }, (_, i) => DEMO_RESIDENT_FIRST_ID + i),
    ]);
    const others = db.prepare(
      `SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')
         AND (account_id IS NULL OR account_id NOT IN (SELECT value FROM json_each(?)))`,
    );
    const ours = db.prepare(
      "SELECT 1 FROM enrolments WHERE course_id = ? AND account_id IN (SELECT value FROM json_each(?)) LIMIT 1",
    );
    const enrolPlan = planEnrolments(
      seed,
      courses,
      plan.people,
      {
        takenByOthers: (courseId) => others.pluck().get(courseId, demoAccounts) as number,
        alreadySeeded: (courseId) => ours.get(courseId, demoAccounts) !== undefined,
      },
      now,
      nowYear,
    );
    const enrolments = writeEnrolments(db, enrolPlan, ids);
    const attendance = writeAttendance(db, dice("attendance"), enrolPlan, ids, now);
    const feedback = writeFeedback(db, dice("feedback"), enrolPlan, ids, now);
    const wishes = writeWishes(db, now);
    const volunteers = writeVolunteers(db, dice("volunteers"), now);
    const shifts = writeFallbackShifts(db, opts.timezone, now);
    const assignments = writeAssignments(db, now);
    writePlanDemo(db, opts.now, opts.timezone);
    const teams = writeTeamDemo(db, opts.now) ? 1 : 0;
    return {
      users,
      people,
      roles,
      enrolments,
      attendance,
      volunteers,
      shifts,
      assignments,
      feedback,
      wishes,
      teams,
    };
  });
}
