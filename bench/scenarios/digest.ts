/** Scenario 4: the weekly digest's figures (computeDigestFigures) over the district's year. */
import { join } from "node:path";
import { loadTargets } from "../../src/catalog/catalog-schema.ts";
import type { Db } from "../../src/db/connection.ts";
import type { DigestFigures } from "../../src/reports/digest.ts";
import { computeDigestFigures } from "../../src/reports/digest.ts";
import { DISTRICT_NOW, TIMEZONE } from "../district.ts";
import { median, REPO_ROOT, round } from "./common.ts";

export interface DigestResult {
  ms: number;
  figures: DigestFigures;
}

/** Median of `repeat` runs (the first one also warms the page cache and prepares statements). */
export function digest(db: Db, repeat = 5): DigestResult {
  const targets = loadTargets(join(REPO_ROOT, "data/targets.yaml"));
  const times: number[] = [];
  let figures: DigestFigures | undefined;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    figures = computeDigestFigures(db, { now: new Date(DISTRICT_NOW), timezone: TIMEZONE, targets });
    times.push(performance.now() - t0);
  }
  if (!figures) throw new Error("digest did not run");
  return { ms: round(median(times)), figures };
}
