/**
 * The half-year review's chart: enrolments and attendance month by month above enrolments per
 * category, drawn by the same chart machinery as the weekly digest (src/reports/chart.ts).
 */
import type { TFunction } from "i18next";
import { formatMonth } from "../i18n/format.ts";
import type { Locale } from "../i18n/index.ts";
import type { ChartData } from "../reports/chart.ts";
import { renderChartPng } from "../reports/chart.ts";
import type { ReviewFigures } from "./figures.ts";
import { reviewTitle } from "./render.ts";

/** Categories drawn as bars; the spreadsheet has them all. */
const MAX_BARS = 12;

/**
 * A month on the axis: "9月", or three letters in English ("Sep", where the locale's short
 * form is "Sept"), so that the months read alike.
 */
function monthLabel(month: string, locale: Locale): string {
  const label = formatMonth(month, locale);
  return locale === "en" ? label.slice(0, 3) : label;
}

/** The chart's data in the reader's language; a month with nothing recorded is drawn at zero. */
export function reviewChart(t: TFunction, locale: Locale, f: ReviewFigures): ChartData {
  // Chart text is drawn, not sent as HTML: nothing is escaped.
  const raw = { interpolation: { escapeValue: false } };
  return {
    title: reviewTitle(t, f),
    trendTitle: t("review:chart.trend", raw),
    trend: f.months.flatMap((m, i) => {
      const period = monthLabel(f.monthKeys[i]!, locale);
      return [
        { period, series: "enrolments" as const, value: m.enrolments },
        { period, series: "present" as const, value: m.present },
      ];
    }),
    seriesLabels: { enrolments: t("review:chart.enrolments", raw), present: t("review:chart.present", raw) },
    barsTitle: t("review:chart.categories", raw),
    bars: f.categories.slice(0, MAX_BARS).map((c) => ({
      name: t(`codes:category.${c.key}`, { defaultValue: c.key, ...raw }),
      value: c.enrolments,
    })),
    barsScale: "count",
    labels: {
      period: t("review:head.month", raw),
      count: t("review:chart.count", raw),
      bars: t("review:chart.enrolments", raw),
      series: "",
    },
  };
}

/** The chart as PNG bytes. */
export function reviewChartPng(t: TFunction, locale: Locale, f: ReviewFigures): Promise<Uint8Array> {
  return renderChartPng(reviewChart(t, locale, f));
}
