import { cutToUnits } from "../text.ts";

/** Spreadsheets (exceljs): tables with a bold header row, sized columns and a frozen header. */

export interface SheetTable {
  name: string;
  headers: string[];
  rows: (string | number | null)[][];
}

/** Builds an .xlsx workbook from plain tables and returns its bytes. */
export async function workbookBytes(sheets: SheetTable[]): Promise<Uint8Array> {
  // Loaded on first use, so that start-up does not pay for it.
  const { default: ExcelJS } = await import("exceljs");
  const wb = new ExcelJS.Workbook();
  wb.creator = "Lifelong";
  const used = new Set<string>();
  for (const sheet of sheets) {
    // Excel forbids some characters in sheet names and limits them to 31 characters.
    let name = cutToUnits(sheet.name.replace(/[\\/?*[\]:]/g, " "), 31, "") || "Sheet";
    while (used.has(name)) name = `${cutToUnits(name, 28, "")}_${used.size}`;
    used.add(name);
    const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.addRow(sheet.headers).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row);
    ws.columns.forEach((col, i) => {
      const widths = [sheet.headers[i] ?? "", ...sheet.rows.map((r) => r[i] ?? "")].map(
        (v) => String(v).length,
      );
      col.width = Math.min(50, Math.max(8, ...widths) + 2);
    });
  }
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
