import { describe, expect, it } from "vitest";
import { createI18n, loadResources, translator } from "../../src/i18n/index.ts";

/** Every key of every namespace, as "ns:a.b.c", with its text in one language. */
function texts(lang: "zh" | "en"): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string") out.set(path, value);
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value))
        walk(v, path.endsWith(":") ? `${path}${k}` : `${path}.${k}`);
  };
  for (const [ns, tree] of Object.entries(loadResources()[lang] ?? {})) walk(tree, `${ns}:`);
  return out;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{-?\s*([^},\s]+)[^}]*\}\}/g)].map((m) => m[1] as string);

const VALUES: unknown[] = [
  "张三",
  'Ann O\'Neil & <b>Bob</b> / "x"',
  "🎉 emoji 👨‍👩‍👧",
  "$& $1 $$",
  "{{title}}",
  "$t(common:error)",
  "",
  0,
  3.5,
  -12,
];

describe("translator", () => {
  it("says what i18next's fixed T says, for every key and language, with awkward values", async () => {
    const i18n = await createI18n("zh");
    let compared = 0;
    for (const locale of ["zh", "en"] as const) {
      const fixed = i18n.getFixedT(locale);
      const t = translator(i18n, locale);
      for (const [key, text] of texts(locale)) {
        expect(t(key), key).toBe(fixed(key));
        const names = placeholders(text);
        if (names.length === 0) continue;
        VALUES.forEach((_, shift) => {
          const values = Object.fromEntries(names.map((n, i) => [n, VALUES[(i + shift) % VALUES.length]]));
          expect(t(key, values as never), `${key} ${JSON.stringify(values)}`).toBe(
            fixed(key, values as never),
          );
          compared++;
        });
        // A value missing, an option i18next reads itself, an extra option: still the same.
        const [first, ...others] = names;
        const some = Object.fromEntries(others.map((n) => [n, "x"]));
        expect(t(key, some as never), key).toBe(fixed(key, some as never));
        expect(t(key, { ...some, [first as string]: "y", count: 2 } as never), key).toBe(
          fixed(key, { ...some, [first as string]: "y", count: 2 } as never),
        );
        expect(t(key, { ...some, [first as string]: "y", extra: "<z>" } as never), key).toBe(
          fixed(key, { ...some, [first as string]: "y", extra: "<z>" } as never),
        );
        expect(
          t(key, { ...some, [first as string]: "<y>", interpolation: { escapeValue: false } } as never),
          key,
        ).toBe(
          fixed(key, { ...some, [first as string]: "<y>", interpolation: { escapeValue: false } } as never),
        );
      }
      expect(t("no:such.key")).toBe(fixed("no:such.key"));
      expect(t("no:such.key", { name: "x" } as never)).toBe(fixed("no:such.key", { name: "x" } as never));
      expect(t("no:such.key", "fallback text")).toBe(fixed("no:such.key", "fallback text"));
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("is made once per instance and language", async () => {
    const i18n = await createI18n("zh");
    expect(translator(i18n, "en")).toBe(translator(i18n, "en"));
    expect(translator(i18n, "en")).not.toBe(translator(i18n, "zh"));
    expect(translator(i18n, "zh")("enrol:result.mine")).not.toBe(translator(i18n, "en")("enrol:result.mine"));
    const other = await createI18n("zh");
    expect(translator(other, "zh")).not.toBe(translator(i18n, "zh"));
  });
});
