/**
 * The annual selection of learning families and learning teams: the board staff choose from (the
 * year's candidates with what is already marked), marking and unmarking, and sending the selected
 * their certificate once. Only candidates can be marked; a selection already sent stays.
 */
import { issueSelectionCertificate } from "../certificates/issue.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { audit } from "../db/audit.ts";
import { enqueueEach } from "../notify/outbox.ts";
import type { LearningFamily } from "./families.ts";
import { learningFamilies } from "./families.ts";
import type { LearningTeamCandidate } from "./teams.ts";
import { learningTeamCandidates } from "./teams.ts";

export interface SelectionState {
  selected: boolean;
  /** The certificate has been sent: the selection can no longer be taken back. */
  notified: boolean;
}

export type BoardFamily = LearningFamily & SelectionState;
export type BoardTeam = LearningTeamCandidate & SelectionState;

export interface SelectionBoard {
  year: number;
  families: BoardFamily[];
  teams: BoardTeam[];
  /** Selected and not yet sent: what "Send certificates" would send now. */
  pending: number;
}

/** A family (by its account) or a team, for one year. */
export type SelectionRef = (
  | { kind: "family"; accountId: number; teamId?: undefined }
  | { kind: "team"; teamId: number; accountId?: undefined }
) & {
  year: number;
  /** The start of the year in the school's timezone: candidates count completions from it. */
  yearStart: Date;
  /** Who marks (audited). */
  by: number;
};

export type MarkResult = {
  kind: "selected" | "already" | "notCandidate" | "unmarked" | "notSelected" | "notified";
  board: SelectionBoard;
};

export interface NotifyResult {
  families: number;
  teams: number;
  messages: number;
}

export const CERTIFICATE_TEMPLATE = "selection.certificate";

interface SelectionRow {
  id: number;
  kind: "family" | "team";
  accountId: number | null;
  teamId: number | null;
  notifiedAt: string | null;
}

function selectionsOf(db: Db, year: number): SelectionRow[] {
  return db
    .prepare(
      `SELECT id, kind, account_id AS accountId, team_id AS teamId, notified_at AS notifiedAt
       FROM selections WHERE year = ?`,
    )
    .all(year) as SelectionRow[];
}

const refKey = (kind: "family" | "team", id: number | null) => `${kind}:${id}`;

/**
 * The year's candidates (families first, then teams, each in the order their lists give) with
 * whether each is selected and whether its certificate went out. A selection whose family or team
 * is no longer a candidate is not shown and is not sent.
 */
export function selectionBoard(db: Db, year: number, yearStart: Date, now: Date): SelectionBoard {
  const marks = new Map(selectionsOf(db, year).map((s) => [refKey(s.kind, s.accountId ?? s.teamId), s]));
  const state = (key: string): SelectionState => {
    const s = marks.get(key);
    return { selected: s !== undefined, notified: s?.notifiedAt != null };
  };
  const families = learningFamilies(db, yearStart, now).map((f) => ({
    ...f,
    ...state(refKey("family", f.accountId)),
  }));
  const teams = learningTeamCandidates(db, yearStart, now).map((t) => ({
    ...t,
    ...state(refKey("team", t.teamId)),
  }));
  const pending = [...families, ...teams].filter((c) => c.selected && !c.notified).length;
  return { year, families, teams, pending };
}

function findSelection(db: Db, ref: SelectionRef): SelectionRow | undefined {
  return db
    .prepare(
      `SELECT id, kind, account_id AS accountId, team_id AS teamId, notified_at AS notifiedAt FROM selections
       WHERE year = ? AND kind = ? AND (account_id = ? OR team_id = ?)`,
    )
    .get(ref.year, ref.kind, ref.accountId ?? null, ref.teamId ?? null) as SelectionRow | undefined;
}

const subjectOf = (ref: SelectionRef) => refKey(ref.kind, ref.accountId ?? ref.teamId);

/** Marks a candidate family or team as selected for the year. Marking twice changes nothing. */
export function markSelected(db: Db, ref: SelectionRef, now: Date): MarkResult {
  return immediate(db, (): MarkResult => {
    const before = selectionBoard(db, ref.year, ref.yearStart, now);
    const candidate =
      ref.kind === "family"
        ? before.families.find((f) => f.accountId === ref.accountId)
        : before.teams.find((t) => t.teamId === ref.teamId);
    if (!candidate) return { kind: "notCandidate", board: before };
    if (candidate.selected) return { kind: "already", board: before };
    db.prepare(
      "INSERT INTO selections (year, kind, account_id, team_id, selected_by, selected_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(ref.year, ref.kind, ref.accountId ?? null, ref.teamId ?? null, ref.by, now.toISOString());
    audit(db, now, ref.by, "selection.mark", subjectOf(ref), { year: ref.year });
    return { kind: "selected", board: selectionBoard(db, ref.year, ref.yearStart, now) };
  });
}

/** Takes a selection back, unless its certificate was already sent (then it stays). */
export function unmark(db: Db, ref: SelectionRef, now: Date): MarkResult {
  return immediate(db, (): MarkResult => {
    const row = findSelection(db, ref);
    if (!row || row.notifiedAt !== null)
      return {
        kind: row ? "notified" : "notSelected",
        board: selectionBoard(db, ref.year, ref.yearStart, now),
      };
    db.prepare("DELETE FROM selections WHERE id = ?").run(row.id);
    audit(db, now, ref.by, "selection.unmark", subjectOf(ref), { year: ref.year });
    return { kind: "unmarked", board: selectionBoard(db, ref.year, ref.yearStart, now) };
  });
}

/** The account holder of a family (their own person), else the account's first person. */
function holderOf(db: Db, accountId: number): { id: number; name: string } | undefined {
  return db
    .prepare("SELECT id, name FROM people WHERE account_id = ? ORDER BY is_self DESC, id LIMIT 1")
    .get(accountId) as { id: number; name: string } | undefined;
}

/** One member per account of a team (the account's own person first); the forgotten have none. */
function teamAccounts(db: Db, teamId: number): { personId: number; accountId: number }[] {
  const rows = db
    .prepare(
      `SELECT p.id AS personId, p.account_id AS accountId FROM learning_team_members m
       JOIN people p ON p.id = m.person_id WHERE m.team_id = ? AND p.account_id IS NOT NULL
       ORDER BY m.joined_at, p.is_self DESC, p.id`,
    )
    .all(teamId) as { personId: number; accountId: number }[];
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.accountId) && seen.add(r.accountId));
}

/**
 * Sends every selected family and team of the year whose certificate has not gone out: issues
 * the certificate (a family's to its account holder, a team's to each member's account, people
 * forgotten through /forget skipped), queues the message with it and records the sending, all in
 * one transaction, so a second call sends nothing. `botUsername` makes the verification link.
 */
export function notifySelected(
  db: Db,
  input: { year: number; yearStart: Date; by: number; botUsername: string },
  now: Date,
): NotifyResult {
  return immediate(db, (): NotifyResult => {
    const board = selectionBoard(db, input.year, input.yearStart, now);
    const rows = new Map(
      selectionsOf(db, input.year).map((s) => [refKey(s.kind, s.accountId ?? s.teamId), s]),
    );
    const out: NotifyResult = { families: 0, teams: 0, messages: 0 };
    const done = db.prepare("UPDATE selections SET notified_at = ? WHERE id = ? AND notified_at IS NULL");
    const send = (selectionId: number, accounts: number[]) =>
      enqueueEach(
        db,
        accounts,
        {
          keyPrefix: `selection:${selectionId}`,
          template: CERTIFICATE_TEMPLATE,
          params: { selectionId, bot: input.botUsername },
          dueAt: now,
        },
        now,
      );
    for (const f of board.families) {
      const row = rows.get(refKey("family", f.accountId));
      if (!row || row.notifiedAt !== null) continue;
      const holder = holderOf(db, f.accountId);
      if (holder) {
        issueSelectionCertificate(
          db,
          { selectionId: row.id, kind: "family", year: input.year, personId: holder.id, name: holder.name },
          now,
        );
        out.messages += send(row.id, [f.accountId]);
        out.families++;
      }
      done.run(now.toISOString(), row.id);
    }
    for (const t of board.teams) {
      const row = rows.get(refKey("team", t.teamId));
      if (!row || row.notifiedAt !== null) continue;
      const members = teamAccounts(db, t.teamId);
      for (const m of members)
        issueSelectionCertificate(
          db,
          {
            selectionId: row.id,
            kind: "team",
            year: input.year,
            personId: m.personId,
            name: t.name,
            courseId: t.courseId,
            siteId: t.siteId,
          },
          now,
        );
      out.messages += send(
        row.id,
        members.map((m) => m.accountId),
      );
      if (members.length > 0) out.teams++;
      done.run(now.toISOString(), row.id);
    }
    if (out.families + out.teams > 0) audit(db, now, input.by, "selection.notify", input.year, out);
    return out;
  });
}
