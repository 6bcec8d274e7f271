/**
 * Counts behind the browse menus ("书法绘画 (5)"): only what has upcoming sessions is offered,
 * so that a tap never leads to an empty list.
 */
import type { Db } from "../db/connection.ts";
import { CATEGORIES } from "./codes.ts";
import type { Bilingual } from "./queries.ts";
import { AUDIENCE_GROUPS, ensureTimeFunctions } from "./queries.ts";

/** Number of listable courses per category, in the order of CATEGORIES; empty ones left out. */
export function categoryCounts(db: Db, now: Date): Array<{ category: string; count: number }> {
  const rows = db
    .prepare(
      `SELECT c.category, COUNT(*) AS n FROM courses c
       WHERE c.status NOT IN ('draft', 'cancelled')
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > ?)
       GROUP BY c.category`,
    )
    .all(now.toISOString()) as Array<{ category: string; n: number }>;
  const counts = new Map(rows.map((r) => [r.category, r.n]));
  const known: string[] = [...CATEGORIES];
  const extra = rows.map((r) => r.category).filter((c) => !known.includes(c));
  return [...known, ...extra]
    .filter((c) => counts.has(c))
    .map((c) => ({ category: c, count: counts.get(c) ?? 0 }));
}

/** Number of listable courses per audience group; empty groups left out. */
export function audienceGroupCounts(db: Db, now: Date): Array<{ group: string; count: number }> {
  const rows = db
    .prepare(
      `SELECT j.value AS audience, c.id AS id FROM courses c, json_each(c.audiences) j
       WHERE c.status NOT IN ('draft', 'cancelled')
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > ?)`,
    )
    .all(now.toISOString()) as Array<{ audience: string; id: number }>;
  return Object.entries(AUDIENCE_GROUPS)
    .map(([group, members]) => ({
      group,
      count: new Set(rows.filter((r) => (members as readonly string[]).includes(r.audience)).map((r) => r.id))
        .size,
    }))
    .filter((g) => g.count > 0);
}

/** Sites with at least one listable course, with their counts, by name. */
export function siteCounts(db: Db, now: Date): Array<{ id: number; name: Bilingual; count: number }> {
  const rows = db
    .prepare(
      `SELECT st.id, st.name_zh, st.name_en, COUNT(*) AS n FROM courses c JOIN sites st ON st.id = c.site_id
       WHERE c.status NOT IN ('draft', 'cancelled')
         AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > ?)
       GROUP BY st.id ORDER BY st.kind = 'centre' DESC, st.name_en`,
    )
    .all(now.toISOString()) as Array<{ id: number; name_zh: string; name_en: string; n: number }>;
  return rows.map((r) => ({ id: r.id, name: { zh: r.name_zh, en: r.name_en }, count: r.n }));
}

/** A site's name, for list headings; undefined when there is no such site. */
export function siteName(db: Db, siteId: number): Bilingual | undefined {
  const r = db.prepare("SELECT name_zh, name_en FROM sites WHERE id = ?").get(siteId) as
    | { name_zh: string; name_en: string }
    | undefined;
  return r ? { zh: r.name_zh, en: r.name_en } : undefined;
}

/** How many listable courses have upcoming sessions on each local weekday (0 = Monday) and in each day slot. */
export function timeCounts(db: Db, now: Date, tz: string): { weekdays: number[]; slots: number[] } {
  ensureTimeFunctions(db);
  const rows = db
    .prepare(
      `SELECT DISTINCT s.course_id, lifelong_weekday(s.starts_at, :tz) AS weekday, lifelong_slot(s.starts_at, :tz) AS slot
       FROM sessions s JOIN courses c ON c.id = s.course_id
       WHERE s.status = 'scheduled' AND s.starts_at > :now AND c.status NOT IN ('draft', 'cancelled')`,
    )
    .all({ tz, now: now.toISOString() }) as Array<{ course_id: number; weekday: number; slot: number }>;
  const days = Array.from({ length: 7 }, () => new Set<number>());
  const slots = Array.from({ length: 3 }, () => new Set<number>());
  for (const r of rows) {
    days[r.weekday]?.add(r.course_id);
    slots[r.slot]?.add(r.course_id);
  }
  return { weekdays: days.map((d) => d.size), slots: slots.map((d) => d.size) };
}
