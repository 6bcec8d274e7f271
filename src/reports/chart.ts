/**
 * The digest's chart as a PNG, with no browser and no native canvas: vega-lite compiles to a
 * vega spec, vega renders SVG headless, resvg rasterises it with the Noto Sans SC font file,
 * because resvg draws Chinese only with a CJK font it can read and the machines have none.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as vegaLite from "vega-lite";

/** The family name inside NotoSansHans-Regular.otf. */
export const CHART_FONT_FAMILY = "Noto Sans S Chinese";

let fontPath: string | undefined;

/** Path of the Noto Sans SC regular .otf shipped by @embedpdf/fonts-sc. */
export function chartFontFile(): string {
  if (!fontPath) {
    const main = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
    fontPath = join(dirname(main), "..", "fonts", "NotoSansHans-Regular.otf");
  }
  return fontPath;
}

export interface ChartData {
  title: string;
  weekly: { week: string; series: string; value: number }[];
  weeklyTitle: string;
  fill: { course: string; fill: number }[];
  fillTitle: string;
  /** Axis and legend titles. */
  labels: { week: string; count: number | string; fill: string; course: string; series: string };
}

/** Builds the vega-lite spec: a line chart of the weekly series above a bar chart of fill rates. */
export function chartSpec(data: ChartData): vegaLite.TopLevelSpec {
  const font = CHART_FONT_FAMILY;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: data.title, fontSize: 18 },
    background: "white",
    padding: 16,
    config: {
      font,
      axis: { labelFont: font, titleFont: font },
      legend: { labelFont: font, titleFont: font },
      title: { font },
    },
    vconcat: [
      {
        title: data.weeklyTitle,
        width: 560,
        height: 220,
        data: { values: data.weekly },
        mark: { type: "line", point: true, strokeWidth: 3 },
        encoding: {
          x: { field: "week", type: "ordinal", title: data.labels.week, axis: { labelAngle: 0 } },
          y: { field: "value", type: "quantitative", title: String(data.labels.count) },
          color: { field: "series", type: "nominal", title: data.labels.series },
        },
      },
      {
        title: data.fillTitle,
        width: 560,
        height: { step: 22 },
        data: { values: data.fill.length > 0 ? data.fill : [{ course: "—", fill: 0 }] },
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          y: {
            field: "course",
            type: "nominal",
            sort: "-x",
            title: data.labels.course,
            axis: { labelLimit: 260 },
          },
          x: {
            field: "fill",
            type: "quantitative",
            title: data.labels.fill,
            axis: { format: ".0%" },
            scale: { domain: [0, 1] },
          },
        },
      },
    ],
  } as vegaLite.TopLevelSpec;
}

/** Renders the chart to PNG bytes. */
export async function renderChartPng(data: ChartData): Promise<Uint8Array> {
  // Loaded on first use: together they take most of a second, which start-up should not pay.
  const [vega, vegaLite, { renderAsync }] = await Promise.all([
    import("vega"),
    import("vega-lite"),
    import("@resvg/resvg-js"),
  ]);
  const compiled = vegaLite.compile(chartSpec(data)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  // Drawn on a worker thread: the bot keeps answering while the image is made.
  const image = await renderAsync(svg, {
    font: { fontFiles: [chartFontFile()], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    fitTo: { mode: "zoom", value: 1.5 },
    background: "white",
  });
  return new Uint8Array(image.asPng());
}
