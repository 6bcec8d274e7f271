/**
 * The charts of the weekly digest and the half-year review as PNGs, with no browser and no
 * native canvas: vega-lite compiles to a vega spec, vega renders SVG headless, resvg rasterises
 * it with the Noto Sans SC font file, because resvg draws Chinese only with a CJK font it can
 * read and the machines have none. Both charts have one shape: a trend of two series over
 * periods (weeks, months) above bars per named row (courses, categories).
 */
import type * as vegaLite from "vega-lite";
import { CJK_FONT_FAMILY, cjkFontFile, printable } from "../print/pdf.ts";
import { cutText, graphemes } from "../text.ts";

/** The chart draws with the same Noto Sans SC as every printed document. */
export const CHART_FONT_FAMILY = CJK_FONT_FAMILY;
const chartFontFile = () => cjkFontFile("Regular");

/** The trend's series, in the order of their fixed colours. */
export const SERIES_KEYS = ["enrolments", "present"] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

/**
 * One colour per series key, the same in every language: the legend sorts labels by their text,
 * so a scale built on translated labels gives "Enrolments" and "报名" different colours.
 */
export const SERIES_COLOURS: Record<SeriesKey, string> = { enrolments: "#4c78a8", present: "#f58518" };

export interface ChartData {
  title: string;
  /** The line chart: one point per period and series, periods in order. */
  trend: { period: string; series: SeriesKey; value: number }[];
  trendTitle: string;
  /** The legend's words for each series, in the reader's language. */
  seriesLabels: Record<SeriesKey, string>;
  /** The bar chart: one bar per named row, drawn longest first. */
  bars: { name: string; value: number }[];
  barsTitle: string;
  /** "share": a percentage axis from 0 to 100 % (fill rates); "count": whole numbers from 0. */
  barsScale: "share" | "count";
  /** Axis and legend titles. */
  labels: { period: string; count: string; bars: string; series: string };
}

/** Display width: a Chinese character takes about two Latin ones. */
const widthOf = (g: string): number => (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/u.test(g) ? 2 : 1);

/**
 * A label wrapped into lines of at most `width` (Latin characters; Chinese count double), at
 * spaces where there are any, never inside a grapheme; past `maxLines` the last line is cut.
 */
export function wrapLabel(text: string, width = 30, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  // Words for Latin text; every Chinese character may break on its own.
  const tokens =
    text.match(
      /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+/gu,
    ) ?? [];
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (used > 0 && used < width) {
        line += " ";
        used += 1;
      }
      continue;
    }
    const w = graphemes(token).reduce((n, g) => n + widthOf(g), 0);
    if (used + w > width && used > 0) {
      lines.push(line.trimEnd());
      line = "";
      used = 0;
    }
    if (w > width) {
      // A word longer than a line: split it by graphemes.
      for (const g of graphemes(token)) {
        if (used + widthOf(g) > width) {
          lines.push(line);
          line = "";
          used = 0;
        }
        line += g;
        used += widthOf(g);
      }
    } else {
      line += token;
      used += w;
    }
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = cutText(
    `${kept[maxLines - 1]} ${lines.slice(maxLines).join(" ")}`,
    kept[maxLines - 1]!.length,
  );
  return kept;
}

/** Builds the vega-lite spec: a line chart of the trend above a bar chart of the rows. */
export function chartSpec(data: ChartData): vegaLite.TopLevelSpec {
  const font = CHART_FONT_FAMILY;
  const trend = data.trend.map((p) => ({ ...p, label: data.seriesLabels[p.series] }));
  // Row names are joined by newlines here and split back into lines by the axis; the font has
  // no emoji (a category's icon would be drawn as an empty box).
  const bars = data.bars.map((b) => ({ ...b, name: wrapLabel(printable(b.name)).join("\n") }));
  const lines = Math.max(1, ...bars.map((b) => b.name.split("\n").length));
  // Without a canvas vega guesses text width from Latin letters; Chinese is wider, so the
  // labels would run off the left edge: room is added for the widest line's Chinese characters.
  const cjk = Math.max(
    0,
    ...bars.flatMap((b) =>
      b.name.split("\n").map((l) => graphemes(l).filter((g) => widthOf(g) === 2).length),
    ),
  );
  const share = data.barsScale === "share";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: data.title, fontSize: 18 },
    background: "white",
    padding: { top: 16, right: 28, bottom: 16, left: 16 + 2 * cjk },
    config: {
      font,
      axis: { labelFont: font, titleFont: font },
      legend: { labelFont: font, titleFont: font },
      title: { font },
    },
    vconcat: [
      {
        title: data.trendTitle,
        width: 560,
        height: 220,
        data: { values: trend },
        mark: { type: "line", point: true, strokeWidth: 3 },
        encoding: {
          // Periods in the order given, not sorted by their (translated) text.
          x: {
            field: "period",
            type: "ordinal",
            title: data.labels.period,
            sort: null,
            axis: { labelAngle: 0 },
          },
          y: {
            field: "value",
            type: "quantitative",
            title: data.labels.count,
            axis: { tickMinStep: 1, format: "d" },
          },
          color: {
            field: "label",
            type: "nominal",
            title: data.labels.series,
            sort: SERIES_KEYS.map((k) => data.seriesLabels[k]),
            scale: {
              domain: SERIES_KEYS.map((k) => data.seriesLabels[k]),
              range: SERIES_KEYS.map((k) => SERIES_COLOURS[k]),
            },
          },
        },
      },
      {
        title: data.barsTitle,
        width: 560,
        height: { step: 8 + 14 * lines },
        data: { values: bars.length > 0 ? bars : [{ name: "—", value: 0 }] },
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          y: {
            field: "name",
            type: "nominal",
            sort: "-x",
            // The chart's own title names the axis; an axis title would sit on the Chinese labels,
            // whose width vega underestimates without a canvas to measure them.
            title: null,
            axis: { labelLimit: 0, labelExpr: "split(datum.label, '\\n')", labelLineHeight: 14 },
          },
          x: {
            field: "value",
            type: "quantitative",
            title: data.labels.bars,
            ...(share
              ? { axis: { format: ".0%" }, scale: { domain: [0, 1] } }
              : { axis: { tickMinStep: 1, format: "d" } }),
          },
        },
      },
    ],
  } as vegaLite.TopLevelSpec;
}

/** Renders the chart to SVG (the text of every label can be read back from it). */
export async function renderChartSvg(data: ChartData): Promise<string> {
  // Loaded on first use: together they take most of a second, which start-up should not pay.
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLite.compile(chartSpec(data)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Renders the chart to PNG bytes. */
export async function renderChartPng(data: ChartData): Promise<Uint8Array> {
  const [svg, { renderAsync }] = await Promise.all([renderChartSvg(data), import("@resvg/resvg-js")]);
  // Drawn on a worker thread: the bot keeps answering while the image is made.
  const image = await renderAsync(svg, {
    font: { fontFiles: [chartFontFile()], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    fitTo: { mode: "zoom", value: 1.5 },
    background: "white",
  });
  return new Uint8Array(image.asPng());
}
