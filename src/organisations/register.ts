/**
 * Learning organisations as staff register them: an enterprise, institution, school or
 * community team at one site, with a contact person and a number of employees (or members).
 */
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { cleanName } from "../people/accounts.ts";

export const ORGANISATION_KINDS = ["enterprise", "institution", "school", "community_team"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** True when `value` is one of ORGANISATION_KINDS. */
export const isOrganisationKind = (value: unknown): value is OrganisationKind =>
  typeof value === "string" && (ORGANISATION_KINDS as readonly string[]).includes(value);

/** Longest organisation or contact name kept. */
export const MAX_ORG_NAME = 60;
/** A sanity bound: a typo of three extra zeros is refused rather than diluting every rate. */
export const MAX_EMPLOYEES = 100_000;

export interface Organisation {
  id: number;
  siteId: number;
  kind: OrganisationKind;
  name: string;
  contactName: string;
  contactUserId: number | null;
  employees: number;
}

export interface RegisterInput {
  siteId: number;
  kind: OrganisationKind;
  name: string;
  contactName: string;
  employees: number;
  /** The staff member saw the "did you mean" list and wants a new organisation anyway. */
  confirmSimilar?: boolean;
}

export type RegisterResult =
  | { kind: "registered"; organisation: Organisation }
  | { kind: "noName" }
  | { kind: "noContact" }
  | { kind: "noSite" }
  | { kind: "noEmployees" }
  | { kind: "tooManyEmployees"; max: number }
  /** The same name (once folded) already exists at the site: never a second one. */
  | { kind: "duplicate"; existing: Organisation }
  /** Names close to this one exist at the site: "did you mean …?", unless confirmed. */
  | { kind: "similar"; candidates: Organisation[] };

interface OrgRow {
  id: number;
  site_id: number;
  kind: OrganisationKind;
  name: string;
  contact_name: string;
  contact_user_id: number | null;
  employees: number;
}

const ORG_COLUMNS = "id, site_id, kind, name, contact_name, contact_user_id, employees";

export const toOrganisation = (r: OrgRow): Organisation => ({
  id: r.id,
  siteId: r.site_id,
  kind: r.kind,
  name: r.name,
  contactName: r.contact_name,
  contactUserId: r.contact_user_id,
  employees: r.employees,
});

/**
 * A name folded for comparison: full-width to half-width (NFKC), lower case, without spaces
 * and punctuation, so that "东湖 科技（有限）公司" and "东湖科技(有限)公司" are the same name.
 */
export function foldName(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, "");
}

/** Edit distance over code points, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[y.length]!;
}

/** Two folded names close enough to ask "did you mean": one contains the other, or a typo or two apart. */
export function similarNames(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(Array.from(a).length, Array.from(b).length);
  if (shorter >= 2 && (a.includes(b) || b.includes(a))) return true;
  const limit = shorter >= 5 ? 2 : 1;
  return shorter >= 3 && distance(a, b, limit) <= limit;
}

/** The organisations of a site, by name. */
export function organisationsOfSite(db: Db, siteId: number): Organisation[] {
  return (
    db
      .prepare(`SELECT ${ORG_COLUMNS} FROM organisations WHERE site_id = ? ORDER BY name`)
      .all(siteId) as OrgRow[]
  ).map(toOrganisation);
}

/** One organisation, or undefined. */
export function getOrganisation(db: Db, id: number): Organisation | undefined {
  const row = db.prepare(`SELECT ${ORG_COLUMNS} FROM organisations WHERE id = ?`).get(id) as
    | OrgRow
    | undefined;
  return row ? toOrganisation(row) : undefined;
}

/** Organisations whose contact is this account. */
export function organisationsOfContact(db: Db, userId: number): Organisation[] {
  return (
    db
      .prepare(`SELECT ${ORG_COLUMNS} FROM organisations WHERE contact_user_id = ? ORDER BY id`)
      .all(userId) as OrgRow[]
  ).map(toOrganisation);
}

/** People currently linked to the organisation (those who left not counted). */
export function currentMembers(db: Db, organisationId: number): number {
  return db
    .prepare("SELECT COUNT(*) FROM organisation_members WHERE organisation_id = ? AND left_at IS NULL")
    .pluck()
    .get(organisationId) as number;
}

/**
 * Registers an organisation. Refused without a name or contact, with fewer than one employee,
 * and when the folded name exists at the site; names close to an existing one come back as
 * "similar" until the staff member confirms. One IMMEDIATE transaction; the unique index on
 * (site, folded name) is the last word.
 */
export function registerOrganisation(
  db: Db,
  input: RegisterInput,
  actorId: number | null,
  now: Date,
): RegisterResult {
  const name = cleanName(input.name, MAX_ORG_NAME);
  const contactName = cleanName(input.contactName, MAX_ORG_NAME);
  const key = foldName(name);
  if (key === "") return { kind: "noName" };
  if (contactName === "") return { kind: "noContact" };
  if (!Number.isInteger(input.employees) || input.employees < 1) return { kind: "noEmployees" };
  if (input.employees > MAX_EMPLOYEES) return { kind: "tooManyEmployees", max: MAX_EMPLOYEES };
  return immediate(db, (): RegisterResult => {
    if (!db.prepare("SELECT 1 FROM sites WHERE id = ?").get(input.siteId)) return { kind: "noSite" };
    const rows = db
      .prepare(`SELECT ${ORG_COLUMNS}, name_key FROM organisations WHERE site_id = ?`)
      .all(input.siteId) as (OrgRow & { name_key: string })[];
    const same = rows.find((r) => r.name_key === key);
    if (same) return { kind: "duplicate", existing: toOrganisation(same) };
    const close = rows.filter((r) => similarNames(key, r.name_key));
    if (close.length > 0 && !input.confirmSimilar)
      return { kind: "similar", candidates: close.map(toOrganisation) };
    const at = now.toISOString();
    const id = Number(
      db
        .prepare(
          `INSERT INTO organisations (site_id, kind, name, name_key, contact_name, employees, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.siteId, input.kind, name, key, contactName, input.employees, actorId, at, at)
        .lastInsertRowid,
    );
    return {
      kind: "registered",
      organisation: {
        id,
        siteId: input.siteId,
        kind: input.kind,
        name,
        contactName,
        contactUserId: null,
        employees: input.employees,
      },
    };
  });
}

export type EmployeesResult =
  | { kind: "updated"; employees: number }
  | { kind: "notFound" }
  | { kind: "noEmployees" }
  | { kind: "tooManyEmployees"; max: number }
  /** Fewer employees than people already linked: remove those who left first. */
  | { kind: "belowLinked"; linked: number };

/** Changes the number of employees; never below one, nor below the people linked now. */
export function setEmployees(db: Db, organisationId: number, employees: number, now: Date): EmployeesResult {
  if (!Number.isInteger(employees) || employees < 1) return { kind: "noEmployees" };
  if (employees > MAX_EMPLOYEES) return { kind: "tooManyEmployees", max: MAX_EMPLOYEES };
  return immediate(db, (): EmployeesResult => {
    if (!getOrganisation(db, organisationId)) return { kind: "notFound" };
    const linked = currentMembers(db, organisationId);
    if (employees < linked) return { kind: "belowLinked", linked };
    db.prepare("UPDATE organisations SET employees = ?, updated_at = ? WHERE id = ?").run(
      employees,
      now.toISOString(),
      organisationId,
    );
    return { kind: "updated", employees };
  });
}

/** A typed count of employees: digits (full-width too); undefined for anything else. */
export function parseEmployees(text: string): number | undefined {
  const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return /^\d{1,7}$/.test(digits) ? Number(digits) : undefined;
}
