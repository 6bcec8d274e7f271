/**
 * The half-year review as messages: the chart (as a file, so it prints at full size) with the
 * caption, then the spreadsheet, then the two-page PDF.
 * The `/review` command sends the same messages as the 1 January and 1 July outbox row.
 */
import type { TFunction } from "i18next";
import { loadTargets } from "../catalog/catalog-schema.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import type { RenderedMessage, Template } from "../notify/template.ts";
import type { HalfYear } from "../review/figures.ts";
import { computeReview } from "../review/figures.ts";
import { reviewChartPng } from "../review/chart.ts";
import { reviewPdf, reviewTitle, reviewWorkbook } from "../review/render.ts";

/** The review of `half` as of `now`, in the reader's language. */
export async function reviewMessages(
  t: TFunction,
  locale: Locale,
  db: Db,
  config: Pick<Config, "targetsPath" | "timezone">,
  half: HalfYear,
  now: Date,
): Promise<RenderedMessage[]> {
  const f = computeReview(db, {
    half,
    now,
    timezone: config.timezone,
    targets: loadTargets(config.targetsPath),
  });
  const title = reviewTitle(t, f);
  const name = `review-${f.year}-h${f.half}`;
  const [png, xlsx, pdf] = await Promise.all([
    reviewChartPng(t, locale, f),
    reviewWorkbook(t, locale, f),
    reviewPdf(t, locale, f, config.timezone),
  ]);
  return [
    { text: t("review:caption", { title }), document: { bytes: png, filename: `${name}.png` } },
    { text: title, document: { bytes: xlsx, filename: `${name}.xlsx` } },
    { text: title, document: { bytes: new Uint8Array(pdf), filename: `${name}.pdf` } },
  ];
}

export const REVIEW_TEMPLATES: Record<string, Template> = {
  /** params: year, half. */
  "review.halfYear": (ctx, params) => {
    const year = Number(params.year);
    const half = Number(params.half);
    if (!Number.isInteger(year) || (half !== 1 && half !== 2)) return null;
    return reviewMessages(ctx.t, ctx.locale, ctx.db, ctx.config, { year, half }, ctx.now);
  },
};
