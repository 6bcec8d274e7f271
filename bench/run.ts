/**
 * `npm run bench [-- --out path.json] [-- --scale 0.1] [-- --only rush,digest]`: builds the
 * deterministic district, runs the seven scenarios, prints a table of every figure with its goal,
 * and writes the same figures as JSON (bench/results.json by default).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { benchSenderPace } from "./sender-bench.ts";
import { FULL } from "./district.ts";
import type { BenchReport, Figure } from "./report.ts";
import { formatTable } from "./report.ts";
import { districtDb, round } from "./scenarios/common.ts";
import { digest } from "./scenarios/digest.ts";
import { monthlyDrafts } from "./scenarios/monthly-drafts.ts";
import { halfYearReview } from "./scenarios/half-year-review.ts";
import { memoryFigures, memory } from "./scenarios/memory.ts";
import { reminderTick } from "./scenarios/reminders.ts";
import { rush, rushFigures } from "./scenarios/rush.ts";
import { startFigures, startTime } from "./scenarios/start.ts";
import { throughput, throughputFigures } from "./scenarios/throughput.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const out = arg("out") ?? "bench/results.json";
const scale = Number(arg("scale") ?? "1");
const only = arg("only")?.split(",");
const wants = (name: string) => !only || only.includes(name);
const n = (full: number) => Math.max(1, Math.round(full * scale));

const figures: Figure[] = [];
const errors: BenchReport["errors"] = [];
const t0 = performance.now();
const log = (s: string) =>
  process.stderr.write(`[bench ${round((performance.now() - t0) / 1000, 1)} s] ${s}\n`);

async function scenario(name: string, fn: () => Promise<void> | void): Promise<void> {
  log(`${name}…`);
  try {
    await fn();
  } catch (err) {
    errors.push({ scenario: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    log(`${name} failed: ${String(err)}`);
  }
}

log(`building the district at scale ${scale} and at a tenth of it`);
const full = districtDb(scale);
const tenth = districtDb(scale / 10);
const district = { scale, full: full.counts, tenth: tenth.counts, planned: FULL };
figures.push({
  scenario: "0 district",
  name: "build (full size)",
  value: round(full.counts.ms / 1000, 1),
  unit: "s",
  goal: "< 60 s",
  met: full.counts.ms < 60_000,
});

if (wants("reminders"))
  await scenario("3 reminder tick", async () => {
    const a = await reminderTick(full.db);
    const b = await reminderTick(tenth.db);
    const ratio = round(a.ms / b.ms);
    const s = "3 reminder tick";
    figures.push(
      {
        scenario: s,
        name: "queued per tick (full / tenth)",
        value: `${a.queued} / ${b.queued}`,
        goal: `${a.expected} / ${b.expected}`,
        met: a.queued === a.expected && b.queued === b.expected,
      },
      {
        scenario: s,
        name: "ms per tick, full size",
        value: a.ms,
        unit: "ms",
        goal: "< 20 ms",
        met: a.ms < 20,
      },
      { scenario: s, name: "ms per tick, a tenth", value: b.ms, unit: "ms" },
      { scenario: s, name: "ratio full/tenth", value: ratio, goal: "<= 2 (flat)", met: ratio <= 2 },
    );
  });

if (wants("digest"))
  await scenario("4 digest", () => {
    const a = digest(full.db);
    const b = digest(tenth.db);
    const ratio = round(a.ms / b.ms);
    const s = "4 digest";
    figures.push(
      { scenario: s, name: "residents educated (full)", value: a.figures.totals.residentsEducated },
      { scenario: s, name: "ms, full size", value: a.ms, unit: "ms", goal: "< 200 ms", met: a.ms < 200 },
      { scenario: s, name: "ms, a tenth", value: b.ms, unit: "ms" },
      { scenario: s, name: "ratio full/tenth", value: ratio, unit: "(10 = linear in the data)" },
    );
  });
if (wants("monthly"))
  await scenario("8 monthly drafts", () => {
    const r = monthlyDrafts(full.db);
    const s = "8 monthly drafts";
    figures.push(
      { scenario: s, name: "sites / courses in the drafts", value: `${r.sites} / ${r.courses}` },
      { scenario: s, name: "ms, all sites", value: r.ms, unit: "ms", goal: "< 500 ms", met: r.ms < 500 },
    );
  });
if (wants("review"))
  await scenario("9 half-year review", async () => {
    const r = await halfYearReview(full.db);
    const s = "9 half-year review";
    figures.push(
      {
        scenario: s,
        name: "residents educated / sites (full)",
        value: `${r.figures.targets[0]?.figure} / ${r.figures.sites.length}`,
      },
      { scenario: s, name: "ms, figures", value: r.ms, unit: "ms", goal: "< 1000 ms", met: r.ms < 1000 },
      { scenario: s, name: "ms, xlsx + PDF once", value: r.documentsMs ?? "—", unit: "ms" },
    );
  });
tenth.dispose();

if (wants("throughput"))
  await scenario("1 update throughput", async () => {
    const r = await throughput(full.db, { count: Math.max(200, n(3000)), userBase: 50_000_000 });
    figures.push(...throughputFigures(r));
    if (r.enrolled < Math.max(200, n(3000))) throw new Error(`only ${r.enrolled} presses enrolled someone`);
  });

if (wants("rush"))
  await scenario("2 registration rush", async () => {
    const r = await rush(full.db, { residents: n(10_000), capacity: 30, userBase: 60_000_000 });
    figures.push(...rushFigures(r));
    // For comparison (no goal): the same rush with @grammyjs/runner's default of 500 in flight,
    // where every update waits for hundreds of others inside the process.
    const many = await rush(full.db, {
      residents: n(10_000),
      capacity: 30,
      userBase: 62_000_000,
      concurrency: 500,
    });
    figures.push(...rushFigures(many, " (500 in flight, for comparison)"));
  });

if (wants("memory"))
  await scenario("6 memory", async () => {
    const r = await memory(full.path, {
      residents: n(10_000),
      conversations: n(10_000),
      userBase: 64_000_000,
    });
    figures.push(...memoryFigures(r));
  });
full.dispose();

if (wants("sender"))
  await scenario("5 sender pace", async () => {
    const r = await benchSenderPace({ count: n(1000) });
    const s = "5 sender pace";
    figures.push(
      { scenario: s, name: "messages sent", value: `${r.count} in ${round(r.seconds, 1)} s` },
      {
        scenario: s,
        name: "rate / 30 per s",
        value: round(r.shareOf30, 3),
        goal: ">= 0.9",
        met: r.shareOf30 >= 0.9,
      },
      { scenario: s, name: "429 answers", value: r.count429, goal: "0", met: r.count429 === 0 },
    );
  });

if (wants("start"))
  await scenario("7 start", async () => {
    figures.push(...startFigures(await startTime()));
  });

const report: BenchReport = {
  startedAt: new Date().toISOString(),
  machine: {
    nproc: availableParallelism(),
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? "unknown",
  },
  district,
  figures: figures.sort((a, b) => a.scenario.localeCompare(b.scenario)),
  errors,
  totalSeconds: round((performance.now() - t0) / 1000, 1),
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatTable(report));
console.log(`\nwritten to ${out}`);
process.exit(errors.length > 0 ? 1 : 0);
