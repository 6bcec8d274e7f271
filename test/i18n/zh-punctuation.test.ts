/**
 * Chinese text uses full-width punctuation: a half-width bracket, comma, colon, semicolon,
 * question or exclamation mark touching a Chinese character is a slip ("课程(12人)" → "课程（12人）").
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { halfWidthSlips } from "../helpers/zh-punctuation.ts";

/** Every string value in a locale file, with its dotted key. */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

describe("Chinese punctuation", () => {
  it("flags half-width punctuation next to Chinese characters", () => {
    expect(halfWidthSlips("课程(12人)")).toHaveLength(2);
    expect(halfWidthSlips("注意:明天")).toHaveLength(1);
    expect(halfWidthSlips("好吗?")).toHaveLength(1);
    expect(halfWidthSlips("电脑班 (3/20)")).toHaveLength(1);
    expect(halfWidthSlips("课程（12人）：09:00")).toEqual([]);
    expect(halfWidthSlips("发 /report 2026-11 {{site}}")).toEqual([]);
  });

  it("finds none in locales/zh", () => {
    const dir = "locales/zh";
    const slips: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const data: unknown = JSON.parse(readFileSync(join(dir, file), "utf8"));
      for (const [key, value] of strings(data))
        for (const s of halfWidthSlips(value)) slips.push(`${file}:${key}: …${s}…`);
    }
    expect(slips).toEqual([]);
  });
});
