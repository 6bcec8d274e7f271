import type { Relation } from "../catalog/codes.ts";
import { isRelation } from "../catalog/codes.ts";
import type { Db } from "../db/connection.ts";
import { preparedFor } from "../db/connection.ts";
import { cleanName } from "../people/accounts.ts";
import { q } from "./queries.ts";

/** A participant an account may enrol: the holder ("self") or a family member. */
export interface Participant {
  id: number;
  isSelf: boolean;
  name: string;
  relation: Relation;
  birthYear: number | null;
}

/** Longest family-member name kept; longer input is cut, not refused. */
export const MAX_MEMBER_NAME = 40;
export const MIN_BIRTH_YEAR = 1900;

// Read on every enrolment screen and press: prepared once per database.
const participantRows = preparedFor((db: Db) =>
  db.prepare<
    [number],
    { id: number; is_self: number; name: string; relation: string; birth_year: number | null }
  >(
    // People an organisation's contact added are enrolled from the organisation screen, not here.
    `SELECT id, is_self, name, relation, birth_year FROM people WHERE account_id = ?
       AND id NOT IN (SELECT person_id FROM organisation_members WHERE source = 'contact')
     ORDER BY is_self DESC, id`,
  ),
);

/** The account holder first, then family members in the order they were added. */
export function listParticipants(db: Db, accountId: number): Participant[] {
  const rows = participantRows(db).all(accountId);
  return rows.map((r) => ({
    id: r.id,
    isSelf: r.is_self === 1,
    name: r.name,
    relation: isRelation(r.relation) ? r.relation : "other",
    birthYear: r.birth_year,
  }));
}

/**
 * The participant a callback names: "s" is the account holder, a number must be one of the
 * account's people. Undefined for anyone else's person (a forged or stale button).
 */
export function resolveParticipant(db: Db, accountId: number, ref: string): Participant | undefined {
  const s = q(db);
  const row =
    ref === "s" ? s.selfPerson.get(accountId) : /^\d+$/.test(ref) ? s.person.get(Number(ref)) : undefined;
  if (!row || row.account_id !== accountId) return undefined;
  return {
    id: row.id,
    isSelf: row.is_self === 1,
    name: row.name,
    relation: isRelation(row.relation) ? row.relation : "other",
    birthYear: row.birth_year,
  };
}

/** A name as typed, cleaned; undefined when nothing printable is left. */
export function parseMemberName(text: string): string | undefined {
  const name = cleanName(text, MAX_MEMBER_NAME);
  return name === "" ? undefined : name;
}

/** A typed birth year: four digits, not before 1900, not in the future. */
export function parseBirthYear(
  text: string,
  now: Date,
): { ok: true; year: number } | { ok: false; reason: "format" | "future" | "tooOld" } {
  const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const m = /^(\d{4})\s*年?$/.exec(digits);
  if (!m) return { ok: false, reason: "format" };
  const year = Number(m[1]);
  if (year > now.getUTCFullYear()) return { ok: false, reason: "future" };
  if (year < MIN_BIRTH_YEAR) return { ok: false, reason: "tooOld" };
  return { ok: true, year };
}

/**
 * Remembers a family member of the account. The same name, relation and year again returns
 * the existing person, so a repeated form does not create twins.
 */
export function addFamilyMember(
  db: Db,
  accountId: number,
  member: { name: string; relation: Relation; birthYear: number },
  now: Date,
): Participant {
  const name = parseMemberName(member.name) ?? "—";
  const relation: Relation = member.relation === "self" ? "other" : member.relation;
  return db.transaction((): Participant => {
    const found = db
      .prepare<[number, string, string, number], { id: number }>(
        "SELECT id FROM people WHERE account_id = ? AND is_self = 0 AND name = ? AND relation = ? AND birth_year = ?",
      )
      .get(accountId, name, relation, member.birthYear);
    const id =
      found?.id ??
      Number(
        db
          .prepare(
            "INSERT INTO people (account_id, is_self, name, relation, birth_year, created_at) VALUES (?, 0, ?, ?, ?, ?)",
          )
          .run(accountId, name, relation, member.birthYear, now.toISOString()).lastInsertRowid,
      );
    return { id, isSelf: false, name, relation, birthYear: member.birthYear };
  })();
}

/** The account's stored phone, if any. */
export function phoneOf(db: Db, accountId: number): string | null {
  return q(db).phone.get(accountId)?.phone ?? null;
}

/** Keeps the phone number a person shared as their own contact (digits and a leading +). */
export function saveOwnPhone(db: Db, accountId: number, phone: string): string {
  const cleaned = phone.replace(/[^\d+]/g, "").slice(0, 20);
  const normalized = cleaned.startsWith("+") ? cleaned : `+${cleaned}`;
  db.prepare("UPDATE users SET phone = ? WHERE id = ?").run(normalized, accountId);
  return normalized;
}
