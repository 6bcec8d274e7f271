/**
 * Scenario 9: the half-year review (computeReview) over the district's year, for the half just
 * ended before DISTRICT_NOW, and once its documents (xlsx and the two-page PDF) for comparison.
 */
import { join } from "node:path";
import { loadTargets } from "../../src/catalog/catalog-schema.ts";
import type { Db } from "../../src/db/connection.ts";
import { createI18n } from "../../src/i18n/index.ts";
import type { ReviewFigures } from "../../src/review/figures.ts";
import { computeReview, halfJustEnded } from "../../src/review/figures.ts";
import { reviewPdf, reviewWorkbook } from "../../src/review/render.ts";
import { DISTRICT_NOW, TIMEZONE } from "../district.ts";
import { median, REPO_ROOT, round } from "./common.ts";

export interface HalfYearReviewResult {
  /** Median ms of the figures. */
  ms: number;
  /** ms of one rendering of the spreadsheet and the PDF, when asked for. */
  documentsMs: number | null;
  figures: ReviewFigures;
}

/** Median of `repeat` runs of the figures; with `documents`, one rendering timed after them. */
export async function halfYearReview(db: Db, repeat = 5, documents = true): Promise<HalfYearReviewResult> {
  const targets = loadTargets(join(REPO_ROOT, "data/targets.yaml"));
  const now = new Date(DISTRICT_NOW);
  const half = halfJustEnded(now, TIMEZONE);
  const times: number[] = [];
  let figures: ReviewFigures | undefined;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    figures = computeReview(db, { half, now, timezone: TIMEZONE, targets });
    times.push(performance.now() - t0);
  }
  if (!figures) throw new Error("the review did not run");
  let documentsMs: number | null = null;
  if (documents) {
    const i18n = await createI18n("zh");
    const t = i18n.getFixedT("zh");
    const t0 = performance.now();
    await Promise.all([reviewWorkbook(t, "zh", figures), reviewPdf(t, "zh", figures, TIMEZONE)]);
    documentsMs = round(performance.now() - t0);
  }
  return { ms: round(median(times)), documentsMs, figures };
}
