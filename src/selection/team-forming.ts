/**
 * Forming, joining and leaving learning teams. Every change runs in one IMMEDIATE transaction
 * and re-checks the rules against the database: the person is enrolled in the course, in no
 * other team on it, and the one acting may act for them.
 */
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { audit } from "../db/audit.ts";
import { newCode } from "../ids.ts";
import { enqueueEach } from "../notify/outbox.ts";
import { canManageCourse } from "../staff/access.ts";
import type { Team } from "./teams.ts";
import { getTeam, MIN_STAFF_TEAM, teamByCode, parseTeamName, teamNameKey, teamOfPerson } from "./teams.ts";

export type FormResult =
  | { kind: "formed"; team: Team }
  | { kind: "empty" }
  | { kind: "tooLong"; max: number }
  /** The name (folded) is taken on this course: "did you mean …?" */
  | { kind: "duplicate"; existing: Team }
  | { kind: "noCourse" }
  /** Residents form teams only while the course runs. */
  | { kind: "courseOver" }
  | { kind: "notAllowed" }
  | { kind: "tooFew"; min: number }
  | { kind: "notEnrolled"; courseId: number; personId: number; name: string }
  | { kind: "inTeam"; team: Team; personId: number; name: string };

export type JoinResult =
  | { kind: "joined"; team: Team; personName: string }
  | { kind: "unknown" }
  | { kind: "closed" }
  | { kind: "notYours" }
  /** The person is not enrolled in the team's course: the bot offers the course card. */
  | { kind: "notEnrolled"; courseId: number; titleZh: string; titleEn: string }
  | { kind: "alreadyMember"; team: Team; personName: string }
  | { kind: "inTeam"; team: Team; personName: string };

export type LeaveResult =
  | { kind: "left"; team: Team; personName: string; disbanded: boolean }
  | { kind: "notMember" };

interface CourseRow {
  id: number;
  status: string;
  over: number;
}

/** A course's status and whether its last scheduled session is over; undefined for no such course. */
export function courseState(db: Db, courseId: number, now: Date): CourseRow | undefined {
  return db
    .prepare(
      `SELECT c.id, c.status, NOT EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id
         AND s.status = 'scheduled' AND s.ends_at > ?) AS over FROM courses c WHERE c.id = ?`,
    )
    .get(now.toISOString(), courseId) as CourseRow | undefined;
}

const isEnrolled = (db: Db, courseId: number, personId: number): boolean =>
  db
    .prepare("SELECT 1 FROM enrolments WHERE course_id = ? AND person_id = ? AND status = 'enrolled'")
    .get(courseId, personId) !== undefined;

const personName = (db: Db, personId: number): string =>
  (db.prepare("SELECT name FROM people WHERE id = ?").pluck().get(personId) as string | undefined) ?? "";

/** The people of the account (not forgotten): the resident may act for these. */
const ownsPerson = (db: Db, accountId: number, personId: number): boolean =>
  db.prepare("SELECT 1 FROM people WHERE id = ? AND account_id = ?").get(personId, accountId) !== undefined;

function insertTeam(
  db: Db,
  courseId: number,
  name: string,
  formedBy: "staff" | "resident",
  userId: number,
  personIds: number[],
  now: Date,
): Team {
  const at = now.toISOString();
  const id = Number(
    db
      .prepare(
        `INSERT INTO learning_teams (course_id, name, name_key, formed_by, created_by, invite_code, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        courseId,
        name,
        teamNameKey(name),
        formedBy,
        userId,
        formedBy === "resident" ? newCode() : null,
        at,
      ).lastInsertRowid,
  );
  const add = db.prepare(
    "INSERT INTO learning_team_members (team_id, person_id, joined_at, added_by) VALUES (?, ?, ?, ?)",
  );
  for (const p of personIds) add.run(id, p, at, userId);
  return getTeam(db, id) as Team;
}

/** The checks shared by both ways of forming a team; undefined when the team may be formed. */
function refusal(db: Db, courseId: number, name: string, personIds: number[]): FormResult | undefined {
  const same = db
    .prepare("SELECT id FROM learning_teams WHERE course_id = ? AND name_key = ?")
    .pluck()
    .get(courseId, teamNameKey(name)) as number | undefined;
  const existing = same === undefined ? undefined : getTeam(db, same);
  if (existing) return { kind: "duplicate", existing };
  for (const p of personIds) {
    if (!isEnrolled(db, courseId, p))
      return { kind: "notEnrolled", courseId, personId: p, name: personName(db, p) };
    const team = teamOfPerson(db, courseId, p);
    if (team) return { kind: "inTeam", team, personId: p, name: personName(db, p) };
  }
  return undefined;
}

/**
 * A resident forms a team on a course for themselves or one of their family, who must be
 * enrolled and in no team on it yet. The team gets an invite code to share.
 */
export function formTeamAsResident(
  db: Db,
  input: { courseId: number; personId: number; name: string },
  accountId: number,
  now: Date,
): FormResult {
  const parsed = parseTeamName(input.name);
  if (parsed.kind !== "ok") return parsed;
  return immediate(db, (): FormResult => {
    const c = courseState(db, input.courseId, now);
    if (!c) return { kind: "noCourse" };
    if (!ownsPerson(db, accountId, input.personId)) return { kind: "notAllowed" };
    if (c.status === "cancelled" || c.over === 1) return { kind: "courseOver" };
    const refused = refusal(db, input.courseId, parsed.name, [input.personId]);
    if (refused) return refused;
    const team = insertTeam(db, input.courseId, parsed.name, "resident", accountId, [input.personId], now);
    return { kind: "formed", team };
  });
}

/** The outbox template telling an account that staff put one of its people in a team. */
export const TEAM_ADDED_TEMPLATE = "teams.added";

/**
 * Staff form a team from people enrolled in a course of a site they manage (at least
 * MIN_STAFF_TEAM). Written to the audit log; while the course runs, each member's account is
 * told through the outbox. The team has no invite link.
 */
export function formTeamAsStaff(
  db: Db,
  input: { courseId: number; personIds: number[]; name: string },
  actorId: number,
  now: Date,
): FormResult {
  const parsed = parseTeamName(input.name);
  if (parsed.kind !== "ok") return parsed;
  const people = [...new Set(input.personIds)];
  return immediate(db, (): FormResult => {
    const course = courseState(db, input.courseId, now);
    if (!course) return { kind: "noCourse" };
    if (!canManageCourse(db, actorId, input.courseId)) return { kind: "notAllowed" };
    if (people.length < MIN_STAFF_TEAM) return { kind: "tooFew", min: MIN_STAFF_TEAM };
    const refused = refusal(db, input.courseId, parsed.name, people);
    if (refused) return refused;
    const team = insertTeam(db, input.courseId, parsed.name, "staff", actorId, people, now);
    audit(db, now, actorId, "team.form", team.id, { courseId: input.courseId, members: people.length });
    // Each account hears that the school put one of its people in the team (they may leave it).
    // A team recorded after its course ended (for the annual selection) is not news to anyone.
    if (course.over !== 1)
      for (const p of db
        .prepare(
          "SELECT id, account_id AS accountId FROM people WHERE id IN (SELECT value FROM json_each(?)) AND account_id IS NOT NULL",
        )
        .all(JSON.stringify(people)) as { id: number; accountId: number }[])
        enqueueEach(
          db,
          [p.accountId],
          {
            keyPrefix: `team:${team.id}:${p.id}`,
            template: TEAM_ADDED_TEMPLATE,
            params: { teamId: team.id, personId: p.id },
            dueAt: now,
          },
          now,
        );
    return { kind: "formed", team };
  });
}

/**
 * A person of the account joins the team of an invite code. Refused when the code is unknown,
 * the course is over, the person is not the account's, not enrolled (with the course id, so
 * the bot can show the course), or already in a team on the course.
 */
export function joinTeam(db: Db, code: string, personId: number, accountId: number, now: Date): JoinResult {
  return immediate(db, (): JoinResult => {
    const team = teamByCode(db, code);
    if (!team) return { kind: "unknown" };
    const c = courseState(db, team.courseId, now);
    if (!c || c.status === "cancelled" || c.over === 1) return { kind: "closed" };
    if (!ownsPerson(db, accountId, personId)) return { kind: "notYours" };
    if (!isEnrolled(db, team.courseId, personId)) {
      const titles = db
        .prepare("SELECT title_zh AS titleZh, title_en AS titleEn FROM courses WHERE id = ?")
        .get(team.courseId) as { titleZh: string; titleEn: string };
      return { kind: "notEnrolled", courseId: team.courseId, ...titles };
    }
    const name = personName(db, personId);
    const current = teamOfPerson(db, team.courseId, personId);
    if (current?.id === team.id) return { kind: "alreadyMember", team: current, personName: name };
    if (current) return { kind: "inTeam", team: current, personName: name };
    db.prepare(
      "INSERT INTO learning_team_members (team_id, person_id, joined_at, added_by) VALUES (?, ?, ?, ?)",
    ).run(team.id, personId, now.toISOString(), accountId);
    return { kind: "joined", team: getTeam(db, team.id) as Team, personName: name };
  });
}

/** Deletes a team nobody is left in, unless it was selected (the selection keeps its record). */
function disbandIfEmpty(db: Db, teamId: number): boolean {
  return (
    db
      .prepare(
        `DELETE FROM learning_teams WHERE id = ?
           AND NOT EXISTS (SELECT 1 FROM learning_team_members WHERE team_id = learning_teams.id)
           AND NOT EXISTS (SELECT 1 FROM selections WHERE team_id = learning_teams.id)`,
      )
      .run(teamId).changes > 0
  );
}

/** A person of the account leaves their team; the last one out disbands it. */
export function leaveTeam(db: Db, teamId: number, personId: number, accountId: number): LeaveResult {
  return immediate(db, (): LeaveResult => {
    const team = getTeam(db, teamId);
    if (!team || !ownsPerson(db, accountId, personId)) return { kind: "notMember" };
    const gone = db
      .prepare("DELETE FROM learning_team_members WHERE team_id = ? AND person_id = ?")
      .run(teamId, personId).changes;
    if (gone === 0) return { kind: "notMember" };
    const disbanded = disbandIfEmpty(db, teamId);
    const left = { ...team, members: team.members - 1 };
    return { kind: "left", team: left, personName: personName(db, personId), disbanded };
  });
}

/**
 * For /forget, inside its transaction: the account's people leave every team, and teams left
 * empty are disbanded. Returns how many memberships went.
 */
export function forgetTeamMemberships(db: Db, accountId: number): number {
  const teams = db
    .prepare(
      `SELECT DISTINCT m.team_id FROM learning_team_members m JOIN people p ON p.id = m.person_id
       WHERE p.account_id = ?`,
    )
    .pluck()
    .all(accountId) as number[];
  const gone = db
    .prepare(
      "DELETE FROM learning_team_members WHERE person_id IN (SELECT id FROM people WHERE account_id = ?)",
    )
    .run(accountId).changes;
  for (const t of teams) disbandIfEmpty(db, t);
  return gone;
}
