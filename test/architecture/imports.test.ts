import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The floors of src/, top to bottom. A unit (a top-level folder, or a file directly in src/)
 * may import units on lower floors only: never its own floor's neighbours, never upward.
 * README's architecture section states the same order; change both together.
 */
const FLOORS: string[][] = [
  ["main.ts", "cli.ts"],
  ["sandbox"],
  ["app.ts", "demo"],
  ["bot"],
  ["ops"],
  ["jobs"],
  ["messages"],
  ["own-data"],
  ["review"],
  ["report-cycle"],
  ["reports"],
  ["publicity", "selection"],
  ["organisations", "certificates"],
  ["staff"],
  ["feedback"],
  ["enrollment", "volunteers"],
  ["catalog", "people"],
  ["notify", "print"],
  ["db", "i18n"],
  ["config.ts", "logger.ts"],
  ["clock.ts", "time.ts", "ids.ts", "paths.ts", "callback-data.ts", "telegram-html-parser.ts"],
  ["telegram-html.ts"],
  ["text.ts", "redact.ts"],
];

/** Every TypeScript file of src/ is an entry, so files nothing imports yet are checked too. */
const ENTRIES = readdirSync("src", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `src/${f}`);

/** src/bot/x.ts -> "bot"; src/app.ts -> "app.ts". */
function unitOf(file: string): string {
  const rest = file.slice("src/".length);
  const slash = rest.indexOf("/");
  return slash === -1 ? rest : rest.slice(0, slash);
}

/**
 * Every import between files of src/. esbuild's metafile gives the value imports, resolved
 * the way the build resolves them; it erases type-only imports, which can still tie files
 * into a circle, so those are read from each file's `import type` / `export type` lines.
 */
async function importGraph(): Promise<Map<string, Set<string>>> {
  const result = await build({
    entryPoints: ENTRIES,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    outdir: "dist-graph",
    logLevel: "silent",
  });
  const graph = new Map<string, Set<string>>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (!file.startsWith("src/")) continue;
    const targets = new Set(input.imports.map((i) => i.path).filter((p) => p.startsWith("src/")));
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^(?:import|export) type [^;]*?from "(\.{1,2}\/[^"]+)"/gms)) {
      targets.add(normalize(join(dirname(file), m[1] as string)));
    }
    graph.set(file, targets);
  }
  return graph;
}

function floorOf(unit: string): number {
  return FLOORS.findIndex((floor) => floor.includes(unit));
}

describe("import rules", async () => {
  const graph = await importGraph();

  it("sees the whole of src/", () => {
    expect(graph.size).toBeGreaterThan(150);
  });

  it("places every folder and top-level file of src/ on a floor", () => {
    const units = new Set([...graph.keys()].map(unitOf));
    const missing = [...units].filter((u) => floorOf(u) === -1);
    expect(missing).toEqual([]);
  });

  it("has no import between folders that runs sideways or up", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = unitOf(file);
      for (const target of targets) {
        const to = unitOf(target);
        if (from !== to && floorOf(to) <= floorOf(from)) wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no import circle between files", () => {
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (file: string): void => {
      state.set(file, "open");
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        const s = state.get(next);
        if (s === "open") circles.push([...path.slice(path.indexOf(next)), next].join(" -> "));
        else if (s === undefined) visit(next);
      }
      path.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });
});
