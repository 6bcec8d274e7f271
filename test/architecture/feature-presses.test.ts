import { readdirSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { namespaceOf } from "../../src/callback-data.ts";
import { CORE, ESCAPES, FEATURES } from "../../src/bot/features/index.ts";
import { triggersOf } from "./triggers.ts";

/**
 * createBot skips a whole feature for a button press whose data does not start with one of the
 * feature words the feature declares (FEATURES in src/bot/features/index.ts). A word missing
 * there would leave that feature's buttons dead, so the declaration is checked against the
 * routes each feature's source really registers, both ways.
 */

const srcFiles = readdirSync("src", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `src/${f}`);

/** Every exported route and set of routes in src, by the name a handler writes: "enrolRoutes.confirm". */
async function routePrefixes(): Promise<Map<string, string>> {
  const prefixes = new Map<string, string>();
  const isRoute = (v: unknown): v is { prefix: string; pattern: RegExp } =>
    typeof v === "object" && v !== null && typeof (v as { prefix?: unknown }).prefix === "string";
  for (const file of srcFiles) {
    const text = readFileSync(file, "utf8");
    if (!/export const \w+Routes? = /.test(text)) continue;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (isRoute(value)) prefixes.set(name, value.prefix);
      else if (/Routes$/.test(name) && typeof value === "object" && value !== null)
        for (const [key, route] of Object.entries(value))
          if (isRoute(route)) prefixes.set(`${name}.${key}`, route.prefix);
    }
  }
  return prefixes;
}

/** The feature words of the handlers registered in `file`: its triggers resolved to routes. */
function registeredWords(
  file: string,
  prefixes: Map<string, string>,
): { words: Set<string>; unknown: string[] } {
  const words = new Set<string>();
  const unknown: string[] = [];
  for (const trigger of triggersOf(readFileSync(file, "utf8"))) {
    for (const one of trigger
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean)) {
      const feature = /^cbFeature\("([a-z]+)"\)\.pattern$/.exec(one);
      const route = /^([\w$.]+)\.pattern$/.exec(one);
      const prefix = feature ? feature[1] : route ? prefixes.get(route[1] ?? "") : undefined;
      if (prefix === undefined) unknown.push(`${file}: ${one}`);
      else words.add(namespaceOf(prefix));
    }
  }
  return { words, unknown };
}

/** The file in src/bot/features that defines a feature's create function. */
function fileOf(create: { name: string }): string {
  const file = srcFiles.find(
    (f) =>
      f.startsWith("src/bot/features/") &&
      new RegExp(`export function ${create.name}\\(`).test(readFileSync(f, "utf8")),
  );
  if (!file) throw new Error(`no file defines ${create.name}`);
  return file;
}

describe("the feature words each feature declares", () => {
  it("are exactly the words of the routes its handlers are registered with", async () => {
    const prefixes = await routePrefixes();
    expect(prefixes.get("enrolRoutes.confirm")).toBe("enr:ok");
    const unknown: string[] = [];
    const wrong: string[] = [];
    for (const feature of [ESCAPES, CORE, ...FEATURES]) {
      const found = registeredWords(fileOf(feature.create), prefixes);
      unknown.push(...found.unknown);
      const declared = [...feature.presses].sort();
      const registered = [...found.words].sort();
      if (declared.join() !== registered.join())
        wrong.push(`${feature.create.name}: declares [${declared}], registers [${registered}]`);
    }
    expect(unknown).toEqual([]);
    expect(wrong).toEqual([]);
  });

  it("read a press's feature word as the data up to its first colon", () => {
    expect(namespaceOf("enr:ok:12:s:-")).toBe("enr");
    expect(namespaceOf("ci:ABC:3")).toBe("ci");
    expect(namespaceOf("lang")).toBe("lang");
    expect(namespaceOf("")).toBe("");
  });
});
