/**
 * The people of an organisation: the contact (invited by a one-time link) adds employees by
 * name and enrols them; a resident may say which organisation they work for.
 */
import type { Db } from "../db/connection.ts";
import { immediate, preparedFor } from "../db/connection.ts";
import type { EnrolResult } from "../enrollment/enrol.ts";
import { enrol } from "../enrollment/enrol.ts";
import { newCode } from "../ids.ts";
import { cleanName } from "../people/accounts.ts";
import type { Organisation } from "./register.ts";
import { currentMembers, getOrganisation } from "./register.ts";

/** How long an invitation link stays usable. */
export const INVITE_DAYS = 14;
export const MAX_MEMBER_NAME = 40;

/** A one-time invitation for the organisation's contact; the token goes into /start o_<token>. */
export function createInvite(db: Db, organisationId: number, actorId: number | null, now: Date): string {
  const token = newCode(12);
  const expires = new Date(now.getTime() + INVITE_DAYS * 86_400_000);
  db.prepare(
    "INSERT INTO organisation_invites (token, organisation_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
  ).run(token, organisationId, actorId, now.toISOString(), expires.toISOString());
  return token;
}

export type InviteResult =
  | { kind: "accepted"; organisation: Organisation }
  | { kind: "unknown" }
  | { kind: "used"; byYou: boolean; organisation: Organisation }
  | { kind: "expired" };

/**
 * Makes the account the organisation's contact. A link works once: the same person opening it
 * again is told they are already the contact; anyone else is refused.
 */
export function acceptInvite(db: Db, token: string, userId: number, now: Date): InviteResult {
  return immediate(db, (): InviteResult => {
    const inv = db
      .prepare(
        "SELECT organisation_id AS orgId, expires_at AS expiresAt, used_at AS usedAt, used_by AS usedBy FROM organisation_invites WHERE token = ?",
      )
      .get(token) as
      | { orgId: number; expiresAt: string; usedAt: string | null; usedBy: number | null }
      | undefined;
    const org = inv ? getOrganisation(db, inv.orgId) : undefined;
    if (!inv || !org) return { kind: "unknown" };
    if (inv.usedAt !== null) return { kind: "used", byYou: inv.usedBy === userId, organisation: org };
    if (inv.expiresAt <= now.toISOString()) return { kind: "expired" };
    const at = now.toISOString();
    db.prepare("UPDATE organisation_invites SET used_at = ?, used_by = ? WHERE token = ?").run(
      at,
      userId,
      token,
    );
    db.prepare("UPDATE organisations SET contact_user_id = ?, updated_at = ? WHERE id = ?").run(
      userId,
      at,
      org.id,
    );
    // The people a former contact added are enrolled by the new one from now on.
    db.prepare(
      `UPDATE people SET account_id = ? WHERE is_self = 0 AND id IN (
         SELECT person_id FROM organisation_members WHERE organisation_id = ? AND source = 'contact' AND left_at IS NULL)`,
    ).run(userId, org.id);
    return { kind: "accepted", organisation: { ...org, contactUserId: userId } };
  });
}

/** True when the account is the organisation's contact now. */
export function isContactOf(db: Db, userId: number, organisationId: number): boolean {
  return getOrganisation(db, organisationId)?.contactUserId === userId;
}

export interface Member {
  /** organisation_members.id */
  id: number;
  personId: number;
  name: string;
  source: "contact" | "resident";
  /** Enrolled (seat held) in a course of this year, or present at a session this year. */
  trained: boolean;
}

export type AddMemberResult =
  | { kind: "added"; member: Member }
  | { kind: "badName" }
  | { kind: "notContact" }
  /** Adding one more would pass the number of employees: raise it first. */
  | { kind: "full"; employees: number };

/**
 * The contact adds an employee by name. The person is kept under the contact's account (who
 * enrols them, as for family members) and linked to the organisation; never more people than
 * the organisation has employees.
 */
export function addMember(
  db: Db,
  input: { organisationId: number; contactId: number; name: string },
  now: Date,
): AddMemberResult {
  const name = cleanName(input.name, MAX_MEMBER_NAME);
  if (name === "" || name.startsWith("/")) return { kind: "badName" };
  return immediate(db, (): AddMemberResult => {
    const org = getOrganisation(db, input.organisationId);
    if (!org || org.contactUserId !== input.contactId) return { kind: "notContact" };
    if (currentMembers(db, org.id) >= org.employees) return { kind: "full", employees: org.employees };
    const at = now.toISOString();
    const personId = Number(
      db
        .prepare(
          "INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (?, 0, ?, 'other', ?)",
        )
        .run(input.contactId, name, at).lastInsertRowid,
    );
    const id = Number(
      db
        .prepare(
          "INSERT INTO organisation_members (organisation_id, person_id, source, joined_at) VALUES (?, ?, 'contact', ?)",
        )
        .run(org.id, personId, at).lastInsertRowid,
    );
    return { kind: "added", member: { id, personId, name, source: "contact", trained: false } };
  });
}

/** The contact marks a person as gone: they stay in past records but no longer count. */
export function memberLeft(db: Db, memberId: number, contactId: number, now: Date): boolean {
  return immediate(db, () => {
    const r = db
      .prepare(
        `UPDATE organisation_members SET left_at = ? WHERE id = ? AND left_at IS NULL
           AND organisation_id IN (SELECT id FROM organisations WHERE contact_user_id = ?)`,
      )
      .run(now.toISOString(), memberId, contactId);
    return r.changes > 0;
  });
}

/**
 * SQL for "trained in [ys, n)": a seat in a course (events aside) with a session in the range,
 * or present at a session of one. `:ys` and `:n` are bound by the caller; `m` is the member row.
 */
export const TRAINED_SQL = `(EXISTS (
    SELECT 1 FROM enrolments e JOIN courses c ON c.id = e.course_id
    WHERE e.person_id = m.person_id AND e.status = 'enrolled' AND c.kind <> 'event'
      AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled'
                  AND s.starts_at >= :ys AND s.starts_at < :n))
  OR EXISTS (
    SELECT 1 FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN courses c ON c.id = s.course_id
    WHERE a.person_id = m.person_id AND a.status = 'present' AND c.kind <> 'event'
      AND s.starts_at >= :ys AND s.starts_at < :n))`;

/** The organisation's current people, with whether each trained in the year [yearStart, now). */
export function listMembers(db: Db, organisationId: number, yearStart: Date, now: Date): Member[] {
  const rows = db
    .prepare(
      `SELECT m.id, m.person_id AS personId, p.name, m.source, ${TRAINED_SQL} AS trained
       FROM organisation_members m JOIN people p ON p.id = m.person_id
       WHERE m.organisation_id = :org AND m.left_at IS NULL ORDER BY m.id`,
    )
    .all({ org: organisationId, ys: yearStart.toISOString(), n: now.toISOString() }) as (Omit<
    Member,
    "trained"
  > & { trained: number })[];
  return rows.map((r) => ({ ...r, trained: r.trained === 1 }));
}

export type OrgEnrolResult = EnrolResult | { kind: "notMember" } | { kind: "noConsent" };

/**
 * The contact enrols one of the organisation's people, after confirming that the person
 * agreed: the confirmation is recorded with the enrolment. Every enrolment rule applies.
 */
export function enrolMember(
  db: Db,
  input: { memberId: number; contactId: number; courseId: number; consent: boolean; acceptClash?: boolean },
  now: Date,
): OrgEnrolResult {
  if (!input.consent) return { kind: "noConsent" };
  return immediate(db, (): OrgEnrolResult => {
    const m = db
      .prepare(
        `SELECT m.person_id AS personId, m.organisation_id AS orgId FROM organisation_members m
         JOIN organisations o ON o.id = m.organisation_id JOIN people p ON p.id = m.person_id
         WHERE m.id = ? AND m.left_at IS NULL AND o.contact_user_id = ? AND p.account_id = ?`,
      )
      .get(input.memberId, input.contactId, input.contactId) as
      | { personId: number; orgId: number }
      | undefined;
    if (!m) return { kind: "notMember" };
    // enrol() opens its own IMMEDIATE transaction; nested, better-sqlite3 makes it a savepoint.
    const r = enrol(
      db,
      {
        courseId: input.courseId,
        personId: m.personId,
        accountId: input.contactId,
        consent: true,
        ...(input.acceptClash ? { acceptClash: true } : {}),
      },
      now,
    );
    if (r.kind === "enrolled" || r.kind === "waitlisted")
      db.prepare(
        `INSERT INTO organisation_enrolments (enrolment_id, organisation_id, consent_at, consent_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (enrolment_id) DO UPDATE SET consent_at = excluded.consent_at, consent_by = excluded.consent_by`,
      ).run(r.enrolmentId, m.orgId, now.toISOString(), input.contactId);
    return r;
  });
}

export type EmployerResult =
  | { kind: "set"; organisation: Organisation }
  | { kind: "cleared" }
  | { kind: "notFound" }
  | { kind: "full"; employees: number };

/**
 * A resident says which registered organisation they work for (or, with null, none): their own
 * participant row is linked, replacing any earlier answer of theirs. Optional and changeable.
 */
export function setEmployer(
  db: Db,
  accountId: number,
  organisationId: number | null,
  now: Date,
): EmployerResult {
  return immediate(db, (): EmployerResult => {
    const self = db
      .prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1")
      .pluck()
      .get(accountId) as number | undefined;
    if (self === undefined) return { kind: "notFound" };
    const at = now.toISOString();
    const current = db
      .prepare(
        "SELECT id, organisation_id AS orgId, source FROM organisation_members WHERE person_id = ? AND left_at IS NULL",
      )
      .get(self) as { id: number; orgId: number; source: string } | undefined;
    if (organisationId === null) {
      if (current) db.prepare("DELETE FROM organisation_members WHERE id = ?").run(current.id);
      return { kind: "cleared" };
    }
    const org = getOrganisation(db, organisationId);
    if (!org) return { kind: "notFound" };
    if (current?.orgId === org.id) return { kind: "set", organisation: org };
    if (currentMembers(db, org.id) >= org.employees) return { kind: "full", employees: org.employees };
    // A changed answer replaces the old one: it was the person's own statement, not a history.
    if (current) db.prepare("DELETE FROM organisation_members WHERE id = ?").run(current.id);
    db.prepare(
      "INSERT INTO organisation_members (organisation_id, person_id, source, joined_at) VALUES (?, ?, 'resident', ?)",
    ).run(org.id, self, at);
    return { kind: "set", organisation: org };
  });
}

/** The organisation the resident said they work for, if any. */
export function employerOf(db: Db, accountId: number): Organisation | undefined {
  const orgId = db
    .prepare(
      `SELECT m.organisation_id FROM organisation_members m JOIN people p ON p.id = m.person_id
       WHERE p.account_id = ? AND p.is_self = 1 AND m.left_at IS NULL AND m.source = 'resident'`,
    )
    .pluck()
    .get(accountId) as number | undefined;
  return orgId === undefined ? undefined : getOrganisation(db, orgId);
}

/**
 * For /forget, inside its transaction and before the account's people are anonymised: the
 * resident's own statement of where they work is deleted; the account stops being a contact.
 * People the account added for an organisation stay linked, anonymous, so its past rate holds.
 */
export function forgetOrganisationLinks(db: Db, accountId: number): void {
  db.prepare(
    `DELETE FROM organisation_members WHERE source = 'resident'
       AND person_id IN (SELECT id FROM people WHERE account_id = ?)`,
  ).run(accountId);
  db.prepare("UPDATE organisations SET contact_user_id = NULL WHERE contact_user_id = ?").run(accountId);
  db.prepare("UPDATE organisation_invites SET used_by = NULL WHERE used_by = ?").run(accountId);
}

/** A current member the contact may act for, with their organisation's site; undefined otherwise. */
export function memberForContact(
  db: Db,
  memberId: number,
  contactId: number,
): { id: number; personId: number; name: string; organisationId: number; siteId: number } | undefined {
  return db
    .prepare(
      `SELECT m.id, m.person_id AS personId, p.name, m.organisation_id AS organisationId, o.site_id AS siteId
       FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id JOIN people p ON p.id = m.person_id
       WHERE m.id = ? AND m.left_at IS NULL AND o.contact_user_id = ?`,
    )
    .get(memberId, contactId) as
    | { id: number; personId: number; name: string; organisationId: number; siteId: number }
    | undefined;
}

/** Courses and lectures of the site open for enrolment with a session still to come, soonest first. */
export function openCoursesOfSite(
  db: Db,
  siteId: number,
  now: Date,
  limit = 20,
): { id: number; titleZh: string; titleEn: string; category: string }[] {
  return db
    .prepare(
      `SELECT c.id, c.title_zh AS titleZh, c.title_en AS titleEn, c.category,
              (SELECT MIN(s.starts_at) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > :now) AS nextAt
       FROM courses c WHERE c.site_id = :site AND c.status = 'open' AND c.kind <> 'event' AND nextAt IS NOT NULL
       ORDER BY nextAt, c.id LIMIT :limit`,
    )
    .all({ site: siteId, now: now.toISOString(), limit }) as {
    id: number;
    titleZh: string;
    titleEn: string;
    category: string;
  }[];
}

/**
 * Whether to offer a resident the optional "where do you work" question after enrolling: only
 * for employment courses, and only where the course's site has registered organisations.
 * Returns the site then, undefined otherwise.
 */
export function employerQuestionSite(db: Db, courseId: number): number | undefined {
  return employerSite(db).get(courseId) as number | undefined;
}

// Asked on every enrolment reply: prepared once per database, not once per press.
const employerSite = preparedFor((db: Db) =>
  db
    .prepare<[number]>(
      `SELECT c.site_id FROM courses c WHERE c.id = ? AND c.category = 'employment'
         AND EXISTS (SELECT 1 FROM organisations o WHERE o.site_id = c.site_id)`,
    )
    .pluck(),
);
