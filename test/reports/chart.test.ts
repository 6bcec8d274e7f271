/**
 * The digest chart: long course names wrap onto more lines instead of being cut, and each
 * weekly series keeps its colour whatever the language (the scale is fixed by series key).
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { compile } from "vega-lite";
import { describe, expect, it } from "vitest";
import type { ChartData } from "../../src/reports/chart.ts";
import { svgTexts } from "../helpers/svg.ts";
import {
  chartSpec,
  renderChartPng,
  renderChartSvg,
  SERIES_COLOURS,
  wrapLabel,
} from "../../src/reports/chart.ts";

const LONG_EN = "Civic Etiquette & City Life for Newcomers to the District";
const LONG_ZH = "文明礼仪和城市生活课堂（新市民专场，含垃圾分类和交通安全）";

function data(lng: "zh" | "en"): ChartData {
  const zh = lng === "zh";
  return {
    title: zh ? "简报 2026-11-23" : "Digest 2026-11-23",
    trendTitle: zh ? "每周报名和到课" : "Enrolments and attendance per week",
    barsTitle: zh ? "各课程满员率" : "Fill rate per course",
    trend: ["11-02", "11-09", "11-16", "11-23"].flatMap((period, i) => [
      { period, series: "enrolments" as const, value: 10 + i * 3 },
      { period, series: "present" as const, value: 6 + i * 2 },
    ]),
    seriesLabels: zh
      ? { enrolments: "报名", present: "到课" }
      : { enrolments: "Enrolments", present: "Present" },
    bars: [
      { name: zh ? LONG_ZH : LONG_EN, value: 0.9 },
      { name: zh ? "太极拳入门" : "Tai Chi", value: 0.5 },
    ],
    barsScale: "share",
    labels: {
      period: zh ? "周" : "Week",
      count: zh ? "人数" : "People",
      bars: zh ? "满员率" : "Fill rate",
      series: "",
    },
  };
}

describe("chart labels", () => {
  it("wraps a long name into lines that keep every word", () => {
    const lines = wrapLabel(LONG_EN, 30);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(LONG_EN);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
    const zh = wrapLabel(LONG_ZH, 30);
    expect(zh.join("")).toBe(LONG_ZH);
    for (const l of zh) expect([...l].length).toBeLessThanOrEqual(15);
  });

  it("draws the whole course name on the chart, in both languages", { timeout: 60_000 }, async () => {
    for (const lng of ["en", "zh"] as const) {
      const svg = await renderChartSvg(data(lng));
      const shown = svgTexts(svg).join(lng === "en" ? " " : "");
      expect(shown, lng).toContain(lng === "en" ? LONG_EN : LONG_ZH);
    }
  });
});

describe("periods", () => {
  it("keeps the periods in the order given, across the new year", { timeout: 60_000 }, async () => {
    const d = data("en");
    const periods = ["12-14", "12-21", "12-28", "01-04"];
    const svg = await renderChartSvg({
      ...d,
      trend: periods.flatMap((period, i) => [
        { period, series: "enrolments" as const, value: i },
        { period, series: "present" as const, value: i },
      ]),
    });
    expect(svgTexts(svg).filter((t) => periods.includes(t))).toEqual(periods);
  });
});

describe("series colours", () => {
  it("gives each series the same colour in every language", () => {
    const colourOf = (lng: "zh" | "en") => {
      const d = data(lng);
      const scales = (
        compile(chartSpec(d)).spec as { scales?: { name: string; domain: unknown; range: unknown }[] }
      ).scales;
      const color = scales?.find((s) => s.name === "color");
      const domain = color?.domain as string[];
      const range = color?.range as string[];
      return {
        enrolments: range[domain.indexOf(d.seriesLabels.enrolments)],
        present: range[domain.indexOf(d.seriesLabels.present)],
      };
    };
    expect(colourOf("en")).toEqual(SERIES_COLOURS);
    expect(colourOf("zh")).toEqual(SERIES_COLOURS);
  });

  it("renders both languages to PNG with the series in their colours", async () => {
    for (const lng of ["en", "zh"] as const) {
      const png = await renderChartPng(data(lng));
      writeFileSync(join(tmpdir(), `lifelong-chart-${lng}.png`), png);
      const image = PNG.sync.read(Buffer.from(png));
      const found = new Set<string>();
      for (let i = 0; i < image.data.length; i += 4) {
        const hex = `#${[0, 1, 2].map((k) => image.data[i + k]!.toString(16).padStart(2, "0")).join("")}`;
        if (hex === SERIES_COLOURS.enrolments || hex === SERIES_COLOURS.present) found.add(hex);
      }
      expect([...found].sort(), lng).toEqual([SERIES_COLOURS.enrolments, SERIES_COLOURS.present].sort());
    }
  }, 120_000);
});
