import { describe, expect, it } from "vitest";
import { createI18n, translator } from "../../src/i18n/index.ts";

describe("translator", () => {
  it("says what i18next's fixed T says, in every form of call", async () => {
    const i18n = await createI18n("zh");
    for (const locale of ["zh", "en"] as const) {
      const fixed = i18n.getFixedT(locale);
      const t = translator(i18n, locale);
      const calls: [string, unknown?][] = [
        ["enrol:result.mine"],
        ["enrol:result.mine"],
        ["enrol:result.enrolled", { title: "<b>课程</b>", name: "张&三 🎉", next: "3月2日" }],
        ["enrol:confirm.waitlist", { name: "Ann", position: 3 }],
        ["enrol:choose.member", { name: "<x>", relation: "子", interpolation: { escapeValue: false } }],
        ["common:error"],
        ["no:such.key"],
      ];
      for (const [key, options] of calls) {
        const want = options === undefined ? fixed(key) : fixed(key, options as never);
        const got = options === undefined ? t(key) : t(key, options as never);
        expect(got).toBe(want);
      }
      expect(t("no:such.key", "fallback text")).toBe(fixed("no:such.key", "fallback text"));
    }
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
