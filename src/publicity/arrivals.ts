/**
 * The funnel: who arrived by which kind of link, and how many of them went on to enrol.
 */
import type { Db } from "../db/connection.ts";
import { preparedFor } from "../db/connection.ts";
import type { LinkSource } from "./links.ts";

export const FUNNEL_SOURCES = ["poster", "share", "channel", "page", "other"] as const;
export type FunnelSource = (typeof FUNNEL_SOURCES)[number];

export interface FunnelRow {
  source: FunnelSource;
  /** Distinct people who arrived by this source in the period. */
  arrived: number;
  /** Of them, how many made an enrolment (or joined a waitlist) after arriving, up to the period's end. */
  enrolled: number;
  /** Of them, how many were new to the bot. */
  newPeople: number;
}

const stmts = preparedFor((db: Db) => ({
  insert: db.prepare<[number | null, string, string, number, string]>(
    "INSERT INTO arrivals (user_id, source, target, is_new, at) VALUES (?, ?, ?, ?, ?)",
  ),
  funnel: db.prepare<
    [{ from: string; to: string }],
    { source: FunnelSource; arrived: number; enrolled: number; newPeople: number }
  >(
    `WITH first AS (
       SELECT source, user_id, MIN(at) AS at, MAX(is_new) AS is_new
       FROM arrivals WHERE at >= :from AND at < :to AND user_id IS NOT NULL
       GROUP BY source, user_id
     )
     SELECT f.source AS source, COUNT(*) AS arrived, SUM(f.is_new) AS newPeople,
       SUM(EXISTS (SELECT 1 FROM enrolments e
                   WHERE e.account_id = f.user_id AND e.created_at >= f.at AND e.created_at < :to)) AS enrolled
     FROM first f GROUP BY f.source`,
  ),
  anonymous: db.prepare<[{ from: string; to: string }], { source: FunnelSource; n: number }>(
    "SELECT source, COUNT(*) AS n FROM arrivals WHERE at >= :from AND at < :to AND user_id IS NULL GROUP BY source",
  ),
}));

/** Records one arrival by a deep link; `source` undefined means a link without one. */
export function recordArrival(
  db: Db,
  arrival: { userId: number; source: LinkSource | undefined; target: string; isNew: boolean },
  now: Date,
): void {
  stmts(db).insert.run(
    arrival.userId,
    arrival.source ?? "other",
    arrival.target,
    arrival.isNew ? 1 : 0,
    now.toISOString(),
  );
}

/**
 * Arrivals in [from, to) by source, every source listed (zeros included) in a fixed order.
 * People who have since asked to be forgotten count once per visit (their visits can no longer
 * be told apart from other people's) and no longer as enrolled.
 */
export function funnel(db: Db, from: Date, to: Date): FunnelRow[] {
  const range = { from: from.toISOString(), to: to.toISOString() };
  const rows = new Map(
    stmts(db)
      .funnel.all(range)
      .map((r) => [r.source, r]),
  );
  const anonymous = new Map(
    stmts(db)
      .anonymous.all(range)
      .map((r) => [r.source, r.n]),
  );
  return FUNNEL_SOURCES.map((source) => {
    const r = rows.get(source);
    return {
      source,
      arrived: (r?.arrived ?? 0) + (anonymous.get(source) ?? 0),
      enrolled: r?.enrolled ?? 0,
      newPeople: r?.newPeople ?? 0,
    };
  });
}
