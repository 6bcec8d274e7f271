import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadResources, resolveLocale } from "../../src/i18n/index.ts";

const resources = loadResources();

function flatten(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function keysOf(lang: string): Set<string> {
  const out = new Set<string>();
  for (const [ns, tree] of Object.entries(resources[lang] ?? {}))
    for (const k of flatten(tree)) out.add(`${ns}:${k}`);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

// i18next plural forms: a key used as "x" may be stored as "x_one"/"x_other".
const PLURAL = /_(zero|one|two|few|many|other)$/;

describe("locales", () => {
  const zh = keysOf("zh");
  const en = keysOf("en");

  it("have the same namespaces and keys in Chinese and English", () => {
    expect(Object.keys(resources.zh ?? {}).sort()).toEqual(Object.keys(resources.en ?? {}).sort());
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it("have no empty strings", () => {
    for (const lang of ["zh", "en"]) {
      const empty = [...keysOf(lang)].filter((k) => {
        const [ns, path] = k.split(":") as [string, string];
        const value = path
          .split(".")
          .reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], resources[lang]?.[ns]);
        return typeof value === "string" && value.trim() === "";
      });
      expect(empty, lang).toEqual([]);
    }
  });

  it("contain every key the source code uses", () => {
    const used = new Map<string, string>();
    const pattern = /\bt\(\s*["'`]([a-z][\w-]*:[\w.]+)["'`]/g;
    for (const file of sourceFiles("src")) {
      for (const m of readFileSync(file, "utf8").matchAll(pattern)) used.set(m[1] as string, file);
    }
    expect(used.size).toBeGreaterThan(10);
    const stored = new Set([...zh].map((k) => k.replace(PLURAL, "")));
    const missing = [...used].filter(([k]) => !zh.has(k) && !stored.has(k)).map(([k, f]) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });
});

describe("resolveLocale", () => {
  it("prefers the stored choice, then Telegram's language, then the default", () => {
    expect(resolveLocale("en", "zh-hans", "zh")).toBe("en");
    for (const code of ["zh", "zh-hans", "zh-hant", "zh-CN", "zh-TW"])
      expect(resolveLocale(null, code, "en")).toBe("zh");
    expect(resolveLocale(null, "en-US", "zh")).toBe("en");
    expect(resolveLocale(null, "fr", "zh")).toBe("zh");
    expect(resolveLocale(undefined, undefined, "en")).toBe("en");
  });
});
