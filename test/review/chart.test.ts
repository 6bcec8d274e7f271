/**
 * The half-year review's chart: months in order with a month of nothing drawn at zero, titles,
 * legend, months and categories in the reader's language, and a PNG that decodes.
 */
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { SERIES_COLOURS, renderChartSvg } from "../../src/reports/chart.ts";
import { reviewChart, reviewChartPng } from "../../src/review/chart.ts";
import { computeReview } from "../../src/review/figures.ts";
import { PNG_SIGNATURE, svgTexts } from "../helpers/svg.ts";
import { NOW, seedReviewFixture, TARGETS, TZ } from "./fixture.ts";

const db = openDatabase(":memory:");
migrate(db);
seedReviewFixture(db);
const review = (year: number, half: 1 | 2) =>
  computeReview(db, { half: { year, half }, now: NOW, timezone: TZ, targets: TARGETS });
const i18n = await createI18n("zh");

describe("the review chart's data", () => {
  it("has every month of the half in order, a month with nothing at zero", () => {
    const c = reviewChart(i18n.getFixedT("en"), "en", review(2026, 1));
    const months = [...new Set(c.trend.map((p) => p.period))];
    expect(months).toEqual(["Jan", "Feb", "Mar", "Apr", "May", "Jun"]);
    // April had volunteering and a rating, but no enrolment and nobody in class.
    expect(c.trend.filter((p) => p.period === "Apr")).toEqual([
      { period: "Apr", series: "enrolments", value: 0 },
      { period: "Apr", series: "present", value: 0 },
    ]);
    expect(c.trend.filter((p) => p.series === "enrolments").map((p) => p.value)).toEqual([1, 1, 1, 0, 1, 0]);
    expect(c.trend.filter((p) => p.series === "present").map((p) => p.value)).toEqual([0, 2, 2, 0, 1, 0]);
    expect(c.bars).toEqual([
      { name: "🖌️ Calligraphy & painting", value: 2 },
      { name: "🎭 Culture & events", value: 1 },
      { name: "🧘 Exercise & wellbeing", value: 1 },
    ]);
    expect(c.barsScale).toBe("count");
  });

  it("names every month of the second half with three letters in English", () => {
    const c = reviewChart(i18n.getFixedT("en"), "en", review(2026, 2));
    expect([...new Set(c.trend.map((p) => p.period))]).toEqual(["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);
    const zh = reviewChart(i18n.getFixedT("zh"), "zh", review(2026, 2));
    expect([...new Set(zh.trend.map((p) => p.period))]).toEqual([
      "7月",
      "8月",
      "9月",
      "10月",
      "11月",
      "12月",
    ]);
  });
});

describe("the review chart as drawn", () => {
  it("labels titles, legend, months and categories in each language", { timeout: 60_000 }, async () => {
    const expected = {
      en: [
        "Half-year review 2026 H1",
        "Enrolments and attendance by month",
        "Enrolments by category",
        "Enrolments",
        "Attendances",
        "Month",
        "Count",
        "Jan",
        "Apr",
        "Jun",
        "Calligraphy & painting",
        "Exercise & wellbeing",
      ],
      zh: [
        "每月报名与出勤",
        "各类课程报名",
        "报名人次",
        "到课人次",
        "月份",
        "人次",
        "1月",
        "4月",
        "6月",
        "书法绘画",
        "健身养生",
      ],
    };
    for (const lng of ["en", "zh"] as const) {
      const svg = await renderChartSvg(reviewChart(i18n.getFixedT(lng), lng, review(2026, 1)));
      const shown = svgTexts(svg).map((s) => s.trim());
      for (const text of expected[lng]) expect(shown, `${lng}: ${text}`).toContain(text);
      // The other language's words are not there, nor the categories' icons.
      expect(shown.join(" "), lng).not.toMatch(lng === "en" ? /[\u4e00-\u9fff]/ : /Enrolments|Month/);
      expect(shown.join(" "), lng).not.toMatch(/\p{Extended_Pictographic}/u);
    }
  });

  it("renders a PNG that decodes, with both series in their colours", { timeout: 60_000 }, async () => {
    const png = await reviewChartPng(i18n.getFixedT("zh"), "zh", review(2026, 1));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const image = PNG.sync.read(Buffer.from(png));
    expect(image.width).toBeGreaterThan(600);
    expect(image.height).toBeGreaterThan(400);
    const found = new Set<string>();
    for (let i = 0; i < image.data.length; i += 4) {
      const hex = `#${[0, 1, 2].map((k) => image.data[i + k]!.toString(16).padStart(2, "0")).join("")}`;
      if (hex === SERIES_COLOURS.enrolments || hex === SERIES_COLOURS.present) found.add(hex);
    }
    expect([...found].sort()).toEqual([SERIES_COLOURS.enrolments, SERIES_COLOURS.present].sort());
  });

  it("draws a half with nothing recorded at all", { timeout: 60_000 }, async () => {
    const empty = review(2027, 2);
    const c = reviewChart(i18n.getFixedT("en"), "en", empty);
    expect(c.trend.every((p) => p.value === 0)).toBe(true);
    expect(c.trend).toHaveLength(12);
    expect(c.bars).toEqual([]);
    const png = await reviewChartPng(i18n.getFixedT("en"), "en", empty);
    expect(PNG.sync.read(Buffer.from(png)).width).toBeGreaterThan(600);
    expect(svgTexts(await renderChartSvg(c))).toContain("Dec");
  });
});
