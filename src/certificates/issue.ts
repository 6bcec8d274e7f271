/**
 * Certificates of completion, of volunteer hours and of the annual selection (a learning family,
 * a learning team): who may have one, issuing it once, and verifying a code. Health-related courses get one only when the person asks, because a course
 * title such as "pregnancy education" says something about health.
 */
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { newCode } from "../ids.ts";

/** The share of held sessions a participant must attend, unless the course sets its own. */
export const DEFAULT_COMPLETION_SHARE = 0.75;

export type CertificateKind = "course" | "volunteer" | "family" | "team";

export interface Certificate {
  id: number;
  code: string;
  kind: CertificateKind;
  name: string;
  titleZh: string;
  titleEn: string;
  schoolZh: string;
  schoolEn: string;
  hours: number;
  year: number | null;
  issuedAt: string;
}

const COLS = `id, code, kind, name, title_zh AS titleZh, title_en AS titleEn, school_zh AS schoolZh,
  school_en AS schoolEn, hours, year, issued_at AS issuedAt`;

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface Completion {
  courseId: number;
  personId: number;
  titleZh: string;
  titleEn: string;
  healthRelated: boolean;
  held: number;
  present: number;
  share: number;
  required: number;
  /** Hours of the sessions held (the course's length as run). */
  hours: number;
  ended: boolean;
  eligible: boolean;
}

/**
 * How a participant did in a course: sessions held so far, sessions attended, the share, and
 * whether the course has ended with the share at or above the course's threshold (default 75 %).
 */
export function completionOf(db: Db, courseId: number, personId: number, now: Date): Completion | undefined {
  const row = db
    .prepare(
      `SELECT c.id AS courseId, c.title_zh AS titleZh, c.title_en AS titleEn, c.health_related AS health,
              COALESCE(c.completion_share, :dflt) AS required,
              (SELECT COUNT(*) FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at < :now) AS held,
              (SELECT COUNT(*) FROM sessions s JOIN attendance a ON a.session_id = s.id
                WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at < :now AND a.person_id = :person AND a.status = 'present') AS present,
              (SELECT COALESCE(SUM((julianday(s.ends_at) - julianday(s.starts_at)) * 24), 0) FROM sessions s
                WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at < :now) AS hours,
              NOT EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.ends_at > :now) AS ended
       FROM courses c WHERE c.id = :course`,
    )
    .get({ course: courseId, person: personId, now: now.toISOString(), dflt: DEFAULT_COMPLETION_SHARE }) as
    | {
        courseId: number;
        titleZh: string;
        titleEn: string;
        health: number;
        required: number;
        held: number;
        present: number;
        hours: number;
        ended: number;
      }
    | undefined;
  if (!row) return undefined;
  const share = row.held > 0 ? row.present / row.held : 0;
  return {
    courseId: row.courseId,
    personId,
    titleZh: row.titleZh,
    titleEn: row.titleEn,
    healthRelated: row.health === 1,
    held: row.held,
    present: row.present,
    share: Math.round(share * 1000) / 1000,
    required: row.required,
    hours: round1(row.hours),
    ended: row.ended === 1 && row.held > 0,
    // Compared in whole sessions, so 3 of 4 meets 75 % without floating-point doubt.
    eligible: row.ended === 1 && row.held > 0 && row.present >= Math.ceil(row.required * row.held - 1e-9),
  };
}

/** The courses an account's people completed well enough for a certificate. */
export function completionsOfAccount(
  db: Db,
  accountId: number,
  now: Date,
): (Completion & { name: string })[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT e.course_id AS courseId, p.id AS personId, p.name FROM enrolments e
       JOIN people p ON p.id = e.person_id WHERE p.account_id = ? AND e.status IN ('enrolled', 'cancelled')`,
    )
    .all(accountId) as { courseId: number; personId: number; name: string }[];
  const out: (Completion & { name: string })[] = [];
  for (const r of rows) {
    const c = completionOf(db, r.courseId, r.personId, now);
    if (c?.eligible) out.push({ ...c, name: r.name });
  }
  return out;
}

function siteNames(db: Db, siteId: number | null): { zh: string; en: string } {
  const row = (
    siteId === null
      ? db
          .prepare("SELECT name_zh AS zh, name_en AS en FROM sites ORDER BY kind = 'centre' DESC, id LIMIT 1")
          .get()
      : db.prepare("SELECT name_zh AS zh, name_en AS en FROM sites WHERE id = ?").get(siteId)
  ) as { zh: string; en: string } | undefined;
  return row ?? { zh: "", en: "" };
}

export type IssueResult =
  | { kind: "issued"; certificate: Certificate; isNew: boolean }
  | { kind: "notYours" }
  | { kind: "notEligible"; completion?: Completion }
  /** A health-related course: issued only when the person asks for it explicitly. */
  | { kind: "askFirst" }
  | { kind: "noHours" };

/** A certificate by code; undefined for a code that does not exist. */
export function verifyCertificate(db: Db, typed: string): Certificate | undefined {
  // Read off paper and typed by hand: spaces and lower case are the reader's, not the code's.
  const code = typed.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z0-9]{4,16}$/.test(code)) return undefined;
  return db.prepare(`SELECT ${COLS} FROM certificates WHERE code = ?`).get(code) as Certificate | undefined;
}

/**
 * The certificate of completion for one of the account's people, issued once (asking again
 * returns the same one). Refused below the course's attendance share, before the course ends,
 * and for a health-related course unless `asked`.
 */
export function issueCourseCertificate(
  db: Db,
  input: { accountId: number; personId: number; courseId: number; asked?: boolean },
  now: Date,
): IssueResult {
  return immediate(db, (): IssueResult => {
    const person = db
      .prepare("SELECT name, account_id AS accountId FROM people WHERE id = ?")
      .get(input.personId) as { name: string; accountId: number | null } | undefined;
    if (!person || person.accountId !== input.accountId) return { kind: "notYours" };
    const existing = db
      .prepare(`SELECT ${COLS} FROM certificates WHERE kind = 'course' AND course_id = ? AND person_id = ?`)
      .get(input.courseId, input.personId) as Certificate | undefined;
    if (existing) return { kind: "issued", certificate: existing, isNew: false };
    const c = completionOf(db, input.courseId, input.personId, now);
    if (!c?.eligible) return c ? { kind: "notEligible", completion: c } : { kind: "notEligible" };
    if (c.healthRelated && !input.asked) return { kind: "askFirst" };
    const siteId = db
      .prepare("SELECT site_id FROM courses WHERE id = ?")
      .pluck()
      .get(input.courseId) as number;
    const school = siteNames(db, siteId);
    const code = newCode(10);
    const at = now.toISOString();
    const id = Number(
      db
        .prepare(
          `INSERT INTO certificates (code, kind, person_id, course_id, name, title_zh, title_en, school_zh, school_en, hours, issued_at)
           VALUES (?, 'course', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          code,
          input.personId,
          input.courseId,
          person.name,
          c.titleZh,
          c.titleEn,
          school.zh,
          school.en,
          c.hours,
          at,
        ).lastInsertRowid,
    );
    return {
      kind: "issued",
      isNew: true,
      certificate: {
        id,
        code,
        kind: "course",
        name: person.name,
        titleZh: c.titleZh,
        titleEn: c.titleEn,
        schoolZh: school.zh,
        schoolEn: school.en,
        hours: c.hours,
        year: null,
        issuedAt: at,
      },
    };
  });
}

/** Hours a volunteer served in a calendar year [from, to). */
export function volunteerHours(db: Db, userId: number, from: Date, to: Date): number {
  const h = db
    .prepare(
      `SELECT COALESCE(SUM(sa.hours), 0) FROM shift_assignments sa JOIN shifts sh ON sh.id = sa.shift_id
       WHERE sa.volunteer_id = ? AND sa.hours IS NOT NULL AND sh.starts_at >= ? AND sh.starts_at < ?`,
    )
    .pluck()
    .get(userId, from.toISOString(), to.toISOString()) as number;
  return round1(h);
}

/**
 * A volunteer's yearly certificate of hours served, with the hours as they stand when issued;
 * asked again the same year, the hours are brought up to date and the code stays.
 */
export function issueVolunteerCertificate(
  db: Db,
  input: { userId: number; year: number; from: Date; to: Date },
  now: Date,
): IssueResult {
  return immediate(db, (): IssueResult => {
    const v = db.prepare("SELECT name FROM volunteers WHERE user_id = ?").get(input.userId) as
      | { name: string }
      | undefined;
    if (!v) return { kind: "notYours" };
    const hours = volunteerHours(db, input.userId, input.from, input.to);
    if (hours <= 0) return { kind: "noHours" };
    const school = siteNames(db, null);
    const existing = db
      .prepare(`SELECT ${COLS} FROM certificates WHERE kind = 'volunteer' AND volunteer_id = ? AND year = ?`)
      .get(input.userId, input.year) as Certificate | undefined;
    if (existing) {
      db.prepare("UPDATE certificates SET hours = ? WHERE id = ?").run(hours, existing.id);
      return { kind: "issued", isNew: false, certificate: { ...existing, hours } };
    }
    const code = newCode(10);
    const at = now.toISOString();
    const title = { zh: `${input.year} 年度志愿服务`, en: `Volunteer service ${input.year}` };
    const id = Number(
      db
        .prepare(
          `INSERT INTO certificates (code, kind, volunteer_id, year, name, title_zh, title_en, school_zh, school_en, hours, issued_at)
           VALUES (?, 'volunteer', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(code, input.userId, input.year, v.name, title.zh, title.en, school.zh, school.en, hours, at)
        .lastInsertRowid,
    );
    return {
      kind: "issued",
      isNew: true,
      certificate: {
        id,
        code,
        kind: "volunteer",
        name: v.name,
        titleZh: title.zh,
        titleEn: title.en,
        schoolZh: school.zh,
        schoolEn: school.en,
        hours,
        year: input.year,
        issuedAt: at,
      },
    };
  });
}

/** What the annual selection prints as a certificate's title. */
export function selectionTitle(kind: "family" | "team", year: number): { zh: string; en: string } {
  return kind === "family"
    ? { zh: `${year} 年度学习型家庭`, en: `Learning Family ${year}` }
    : { zh: `${year} 年度学习型团队`, en: `Learning Team ${year}` };
}

export interface SelectionCertificateInput {
  selectionId: number;
  kind: "family" | "team";
  year: number;
  /** Whose certificate it is: the family's account holder, or one member of a team per account. */
  personId: number;
  /** Printed on it: the holder's name, or the team's name. */
  name: string;
  /** The team's course and its school; a family's certificate comes from the district centre. */
  courseId?: number;
  siteId?: number;
}

/**
 * The certificate of a selected family or team for one person, issued once: asking again for the
 * same selection and person returns the same code. Called inside the caller's transaction.
 */
export function issueSelectionCertificate(db: Db, input: SelectionCertificateInput, now: Date): Certificate {
  return immediate(db, (): Certificate => {
    const existing = db
      .prepare(
        `SELECT ${COLS} FROM certificates WHERE kind IN ('family', 'team') AND selection_id = ? AND person_id = ?`,
      )
      .get(input.selectionId, input.personId) as Certificate | undefined;
    if (existing) return existing;
    const school = siteNames(db, input.siteId ?? null);
    const title = selectionTitle(input.kind, input.year);
    const code = newCode(10);
    const at = now.toISOString();
    const id = Number(
      db
        .prepare(
          `INSERT INTO certificates (code, kind, person_id, course_id, year, selection_id, name, title_zh, title_en, school_zh, school_en, hours, issued_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
        )
        .run(
          code,
          input.kind,
          input.personId,
          input.courseId ?? null,
          input.year,
          input.selectionId,
          input.name,
          title.zh,
          title.en,
          school.zh,
          school.en,
          at,
        ).lastInsertRowid,
    );
    return {
      id,
      code,
      kind: input.kind,
      name: input.name,
      titleZh: title.zh,
      titleEn: title.en,
      schoolZh: school.zh,
      schoolEn: school.en,
      hours: 0,
      year: input.year,
      issuedAt: at,
    };
  });
}

/** The family and team certificates issued to an account's people, newest first. */
export function selectionCertificatesOfAccount(db: Db, accountId: number): Certificate[] {
  return db
    .prepare(
      `SELECT ${COLS} FROM certificates WHERE kind IN ('family', 'team')
         AND person_id IN (SELECT id FROM people WHERE account_id = ?) ORDER BY issued_at DESC, id DESC`,
    )
    .all(accountId) as Certificate[];
}

/** One of the account's family or team certificates, by id; undefined when it is not theirs. */
export function selectionCertificateOf(
  db: Db,
  certificateId: number,
  accountId: number,
): Certificate | undefined {
  return db
    .prepare(
      `SELECT ${COLS} FROM certificates WHERE id = ? AND kind IN ('family', 'team')
         AND person_id IN (SELECT id FROM people WHERE account_id = ?)`,
    )
    .get(certificateId, accountId) as Certificate | undefined;
}

/** The certificate a selection gave to someone of this account (what its message carries). */
export function selectionCertificateFor(
  db: Db,
  selectionId: number,
  accountId: number,
): Certificate | undefined {
  return db
    .prepare(
      `SELECT ${COLS} FROM certificates WHERE selection_id = ? AND kind IN ('family', 'team')
         AND person_id IN (SELECT id FROM people WHERE account_id = ?) ORDER BY id LIMIT 1`,
    )
    .get(selectionId, accountId) as Certificate | undefined;
}

/**
 * For /forget, inside its transaction and before the account's people are anonymised: the
 * names printed on the account's certificates are removed, so a verification no longer shows them.
 */
export function forgetCertificates(db: Db, accountId: number): void {
  db.prepare(
    "UPDATE certificates SET name = '—' WHERE person_id IN (SELECT id FROM people WHERE account_id = ?) OR volunteer_id = ?",
  ).run(accountId, accountId);
}
