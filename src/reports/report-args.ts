/**
 * What follows `/report`: a month and a site code, each optional, in either order.
 * `month` (or 本月, `this`) is the current month, `last` (or 上月) the one before, `2026-11` that
 * month; any other word is a site code.
 */
export type ReportArgs = { ok: true; month: string; siteRef?: string } | { ok: false; problem: "usage" };

const THIS_MONTH = new Set(["month", "this", "本月", "这个月"]);
const LAST_MONTH = new Set(["last", "上月", "上个月"]);

/** `currentMonth` is YYYY-MM in the school's zone. */
export function parseReportArgs(args: string, currentMonth: string): ReportArgs {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let month: string | undefined;
  let siteRef: string | undefined;
  for (const raw of words) {
    const word = raw.toLowerCase();
    let asMonth: string | undefined;
    if (THIS_MONTH.has(word)) asMonth = currentMonth;
    else if (LAST_MONTH.has(word)) asMonth = previousMonth(currentMonth);
    else if (/^\d{4}-\d{1,2}$/.test(word)) {
      const [y, m] = word.split("-").map(Number) as [number, number];
      if (m < 1 || m > 12) return { ok: false, problem: "usage" };
      asMonth = `${y}-${String(m).padStart(2, "0")}`;
    }
    if (asMonth !== undefined) {
      if (month !== undefined) return { ok: false, problem: "usage" };
      month = asMonth;
    } else {
      if (siteRef !== undefined) return { ok: false, problem: "usage" };
      siteRef = raw;
    }
  }
  const result: ReportArgs = { ok: true, month: month ?? currentMonth };
  if (siteRef !== undefined) result.siteRef = siteRef;
  return result;
}

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}
