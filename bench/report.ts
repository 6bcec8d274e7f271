/** One measured figure, its goal, and whether the goal was met (undefined: no goal, shown for context). */
export interface Figure {
  scenario: string;
  name: string;
  value: number | string;
  unit?: string;
  goal?: string;
  met?: boolean;
}

export interface BenchReport {
  startedAt: string;
  machine: { nproc: number; memoryGb: number; node: string; platform: string; cpu: string };
  district: Record<string, unknown>;
  figures: Figure[];
  errors: { scenario: string; error: string }[];
  totalSeconds: number;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

/** The table `npm run bench` prints: scenario, figure, value, goal, met. */
export function formatTable(report: BenchReport): string {
  const rows = report.figures.map((f) => [
    f.scenario,
    f.name,
    `${typeof f.value === "number" ? String(f.value) : f.value}${f.unit ? ` ${f.unit}` : ""}`,
    f.goal ?? "",
    f.met === undefined ? "" : f.met ? "yes" : "NO",
  ]);
  const head = ["scenario", "figure", "value", "goal", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  const m = report.machine;
  out.push(
    "",
    `machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGb} GB, node ${m.node}, ${m.platform}; total ${report.totalSeconds} s`,
  );
  const goals = report.figures.filter((f) => f.met !== undefined);
  out.push(`goals met: ${goals.filter((f) => f.met).length} of ${goals.length}`);
  for (const e of report.errors) out.push(`ERROR in ${e.scenario}: ${e.error}`);
  return out.join("\n");
}
