/**
 * The funnel as the weekly digest's few lines and as a sheet of the monthly report.
 */
import type { TFunction } from "i18next";
import type { SheetTable } from "../reports/xlsx.ts";
import type { FunnelRow } from "../publicity/arrivals.ts";

/** A heading and one line per source that brought anyone; empty when nobody came by a link. */
export function funnelLines(t: TFunction, rows: readonly FunnelRow[]): string[] {
  const used = rows.filter((r) => r.arrived > 0);
  if (used.length === 0) return [];
  return [
    `\n<b>${t("publicity:funnel.title")}</b>`,
    ...used.map((r) =>
      t("publicity:funnel.line", {
        source: t(`publicity:funnel.sources.${r.source}`),
        arrived: r.arrived,
        new: r.newPeople,
        enrolled: r.enrolled,
      }),
    ),
  ];
}

/** Every source with its counts, zeros included, for the monthly report's workbook. */
export function funnelSheet(t: TFunction, rows: readonly FunnelRow[]): SheetTable {
  const h = (k: string) => t(`publicity:funnel.${k}`);
  return {
    name: h("sheet"),
    headers: [h("source"), h("arrived"), h("new"), h("enrolled")],
    rows: rows.map((r) => [t(`publicity:funnel.sources.${r.source}`), r.arrived, r.newPeople, r.enrolled]),
  };
}
