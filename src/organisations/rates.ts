/**
 * The plan's "continuing education and training rate of employees" per organisation and for
 * the district: people trained this year ÷ employees, against the target in targets.yaml.
 *
 * Definitions (the tests compare hand-computed fixtures against them):
 * - people: the organisation's current members; those who left are not counted, even if they
 *   trained before leaving, because the employee count is today's workforce;
 * - trained: a current member with a seat in a course or lecture (not an event) that has a
 *   session this year up to now, or present at such a session this year;
 * - rate: trained ÷ employees (employees ≥ 1 and ≥ members, so the rate is at most 1);
 * - district rate: all organisations' trained ÷ all their employees; null without any.
 */
import type { Db } from "../db/connection.ts";
import { TRAINED_SQL } from "./members.ts";
import type { Bilingual } from "../i18n/bilingual.ts";
import type { OrganisationKind } from "./register.ts";

export interface OrganisationRate {
  id: number;
  siteId: number;
  siteCode: string;
  /** The site's name in both languages, for documents read away from the chat. */
  siteName: Bilingual;
  kind: OrganisationKind;
  name: string;
  employees: number;
  members: number;
  trained: number;
  rate: number;
}

export interface OrganisationRates {
  organisations: OrganisationRate[];
  employees: number;
  trained: number;
  /** District rate; null when no organisation is registered. */
  rate: number | null;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Every organisation's rate for the year [yearStart, now), lowest rate first (those needing
 * attention), optionally only for some sites. One aggregate query.
 */
export function organisationRates(
  db: Db,
  options: { yearStart: Date; now: Date; siteIds?: number[] | undefined },
): OrganisationRates {
  const rows = db
    .prepare(
      `SELECT o.id, o.site_id AS siteId, st.code AS siteCode, st.name_zh AS siteZh, st.name_en AS siteEn, o.kind, o.name, o.employees,
              COUNT(m.id) AS members, COALESCE(SUM(CASE WHEN m.id IS NULL THEN 0 ELSE ${TRAINED_SQL} END), 0) AS trained
       FROM organisations o JOIN sites st ON st.id = o.site_id
       LEFT JOIN organisation_members m ON m.organisation_id = o.id AND m.left_at IS NULL
       GROUP BY o.id`,
    )
    .all({ ys: options.yearStart.toISOString(), n: options.now.toISOString() }) as (Omit<
    OrganisationRate,
    "rate" | "siteName"
  > & { siteZh: string; siteEn: string })[];
  const wanted = options.siteIds ? new Set(options.siteIds) : undefined;
  const organisations = rows
    .filter((r) => !wanted || wanted.has(r.siteId))
    .map(({ siteZh, siteEn, ...r }) => ({
      ...r,
      siteName: { zh: siteZh, en: siteEn },
      rate: round(r.trained / r.employees),
    }))
    .sort((a, b) => a.rate - b.rate || a.name.localeCompare(b.name, "zh"));
  const employees = organisations.reduce((s, o) => s + o.employees, 0);
  const trained = organisations.reduce((s, o) => s + o.trained, 0);
  return { organisations, employees, trained, rate: employees > 0 ? round(trained / employees) : null };
}
