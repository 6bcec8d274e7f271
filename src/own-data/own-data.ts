import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { forgetCertificates } from "../certificates/issue.ts";
import { forgetOrganisationLinks } from "../organisations/members.ts";
import { forgetTeamMemberships } from "../selection/team-forming.ts";
import type { OfferOptions } from "../enrollment/offers.ts";
import { offerFreedSeats } from "../enrollment/offers.ts";
import { audit } from "../db/audit.ts";
import { closeGap } from "../enrollment/waitlist.ts";

/**
 * Everything stored about an account and its family members, as plain JSON-ready data:
 * what /mydata sends. Course titles are joined in so the file reads on its own.
 */
export function exportOwnData(db: Db, accountId: number, now: Date): Record<string, unknown> {
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params);
  const account = db
    .prepare(
      `SELECT id, first_name, last_name, username, language_code, locale, phone, news_opt_in, created_at, last_seen_at
       FROM users WHERE id = ?`,
    )
    .get(accountId);
  return {
    exportedAt: now.toISOString(),
    account: account ?? null,
    people: all(
      "SELECT id, is_self, name, relation, birth_year, created_at FROM people WHERE account_id = ? ORDER BY id",
      accountId,
    ),
    enrolments: all(
      `SELECT e.id, e.person_id, p.name AS person, c.code AS course_code, c.title_zh, c.title_en, e.status,
              e.waitlist_seq, e.offer_expires_at, e.consent_at, e.created_at, e.updated_at, e.cancelled_at
       FROM enrolments e JOIN people p ON p.id = e.person_id JOIN courses c ON c.id = e.course_id
       WHERE e.account_id = ? OR p.account_id = ? ORDER BY e.id`,
      accountId,
      accountId,
    ),
    attendance: all(
      `SELECT a.person_id, p.name AS person, c.code AS course_code, s.seq AS session, s.starts_at, a.status, a.source,
              a.recorded_at
       FROM attendance a JOIN people p ON p.id = a.person_id JOIN sessions s ON s.id = a.session_id
       JOIN courses c ON c.id = s.course_id WHERE p.account_id = ? ORDER BY s.starts_at`,
      accountId,
    ),
    volunteer: db.prepare("SELECT * FROM volunteers WHERE user_id = ?").get(accountId) ?? null,
    shifts: all(
      `SELECT a.shift_id, sh.title_zh, sh.title_en, sh.starts_at, a.status, a.checked_in_at, a.hours
       FROM shift_assignments a JOIN shifts sh ON sh.id = a.shift_id WHERE a.volunteer_id = ? ORDER BY sh.starts_at`,
      accountId,
    ),
    feedback: all(
      "SELECT id, kind, course_id, person_id, stars, comment, anonymous, created_at FROM feedback WHERE account_id = ? ORDER BY id",
      accountId,
    ),
    wishes: all(
      "SELECT id, topic, for_whom, when_suits, text, created_at FROM wishes WHERE account_id = ? ORDER BY id",
      accountId,
    ),
    roles: all("SELECT role, site_id, course_id, granted_at FROM roles WHERE user_id = ?", accountId),
    organisations: all(
      `SELECT o.name AS organisation, p.name AS person, m.source, m.joined_at, m.left_at
       FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id JOIN people p ON p.id = m.person_id
       WHERE p.account_id = ? ORDER BY m.id`,
      accountId,
    ),
    teams: all(
      `SELECT t.name AS team, p.name AS person, c.code AS course_code, c.title_zh, c.title_en, m.joined_at
       FROM learning_team_members m JOIN learning_teams t ON t.id = m.team_id JOIN people p ON p.id = m.person_id
       JOIN courses c ON c.id = t.course_id WHERE p.account_id = ? ORDER BY t.id, p.id`,
      accountId,
    ),
    pendingMessages: all(
      "SELECT template, due_at, state FROM outbox WHERE chat_id = ? AND state IN ('pending', 'sending') ORDER BY due_at",
      accountId,
    ),
  };
}

/** What /forget removed, for the closing message. */
export interface ForgetSummary {
  people: number;
  enrolmentsCancelled: number;
  feedback: number;
  wishes: number;
  volunteer: boolean;
  messages: number;
  offersMade: number;
}

/**
 * Deletes an account's personal data and keeps only anonymous counts: participant rows stay
 * (name "—", no account) so that reports do not change; enrolments in courses still to come are
 * cancelled and their seats offered to the waitlist; the volunteer record, messages to the chat,
 * conversation state and the account row go. All in one IMMEDIATE transaction.
 */
export function forgetAccount(db: Db, accountId: number, now: Date, options: OfferOptions): ForgetSummary {
  return immediate(db, (): ForgetSummary => {
    const at = now.toISOString();
    const live = db
      .prepare<
        [number, string],
        { id: number; course_id: number; status: string; waitlist_seq: number | null }
      >(
        `SELECT e.id, e.course_id, e.status, e.waitlist_seq FROM enrolments e JOIN people p ON p.id = e.person_id
         WHERE p.account_id = ? AND e.status <> 'cancelled'
           AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = e.course_id AND s.status = 'scheduled' AND s.starts_at > ?)
         ORDER BY e.waitlist_seq DESC`,
      )
      .all(accountId, at);
    const cancel = db.prepare(
      `UPDATE enrolments SET status = 'cancelled', waitlist_seq = NULL, offer_expires_at = NULL, cancelled_at = ?,
         updated_at = ? WHERE id = ?`,
    );
    const freed = new Set<number>();
    for (const e of live) {
      cancel.run(at, at, e.id);
      // Highest places first, so each gap closed leaves the others' seqs valid.
      if (e.status === "waitlisted") closeGap(db, e.course_id, e.waitlist_seq);
      if (e.status !== "waitlisted") freed.add(e.course_id);
    }
    forgetOrganisationLinks(db, accountId);
    forgetTeamMemberships(db, accountId);
    forgetCertificates(db, accountId);
    db.prepare(
      "UPDATE enrolments SET account_id = NULL, consent_at = NULL WHERE person_id IN (SELECT id FROM people WHERE account_id = ?)",
    ).run(accountId);
    const people = db
      .prepare("UPDATE people SET account_id = NULL, name = '—' WHERE account_id = ?")
      .run(accountId).changes;
    const feedback = db
      .prepare("UPDATE feedback SET account_id = NULL WHERE account_id = ?")
      .run(accountId).changes;
    const wishes = db
      .prepare("UPDATE wishes SET account_id = NULL WHERE account_id = ?")
      .run(accountId).changes;
    const volunteer = db.prepare("DELETE FROM volunteers WHERE user_id = ?").run(accountId).changes > 0;
    const messages = db.prepare("DELETE FROM outbox WHERE chat_id = ?").run(accountId).changes;
    db.prepare("DELETE FROM conversation_state WHERE key = ?").run(String(accountId));
    db.prepare("UPDATE courses SET teacher_user_id = NULL WHERE teacher_user_id = ?").run(accountId);
    db.prepare("DELETE FROM users WHERE id = ?").run(accountId);
    let offersMade = 0;
    for (const courseId of freed) offersMade += offerFreedSeats(db, courseId, now, options);
    audit(db, now, null, "forget", "account", { people, enrolmentsCancelled: live.length });
    return { people, enrolmentsCancelled: live.length, feedback, wishes, volunteer, messages, offersMade };
  });
}
