/** Button labels: cut in the title with the count kept whole, and never two alike. */
import { describe, expect, it } from "vitest";
import { buttonLabel, distinctLabels } from "../../src/bot/labels.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { graphemeLength } from "../../src/text.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";
import { halfWidthSlips } from "../helpers/zh-punctuation.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const LONG_A = "Computer Basics for Seniors: Smartphones, WeChat and Online Payments (Tuesday group)";
const LONG_B = "Computer Basics for Seniors: Smartphones, WeChat and Online Payments (Thursday group)";

describe("button labels", () => {
  it("cuts the title and keeps the count whole", () => {
    const l = buttonLabel(LONG_A, " (12/20)", 40);
    expect(l.endsWith("… (12/20)")).toBe(true);
    expect(graphemeLength(l)).toBe(40);
    expect(buttonLabel("短标题", " (3/9)")).toBe("短标题 (3/9)");
    // An emoji at the cut stays whole.
    const emoji = buttonLabel(`${"x".repeat(29)}👨‍👩‍👧 family`, " (1/2)", 36);
    expect(emoji).toBe(`${"x".repeat(29)}… (1/2)`);
  });

  it("never gives two different titles the same label", () => {
    const labels = distinctLabels([
      { title: LONG_A, suffix: " (12/20)" },
      { title: LONG_B, suffix: " (3/20)" },
      { title: LONG_B, suffix: " (3/20)" },
      { title: "Tai Chi", suffix: " (1/8)" },
    ]);
    expect(new Set(labels).size).toBe(4);
    expect(labels[0]).toMatch(/Tuesday group\) \(12\/20\)$/);
    expect(labels[3]).toBe("Tai Chi (1/8)");
    for (const l of labels) expect(graphemeLength(l)).toBeLessThanOrEqual(40);
  });
});

describe("the roster's course buttons", () => {
  it("show every seat count whole and no two alike", async () => {
    const db = openDatabase(":memory:");
    migrate(db);
    seedFixture(db);
    db.prepare("UPDATE courses SET title_en = ?, title_zh = ? WHERE id = 1").run(
      LONG_A,
      `${"老年人电脑入门".repeat(4)}（周二班）`,
    );
    db.prepare("UPDATE courses SET title_en = ?, title_zh = ? WHERE id = 2").run(
      LONG_B,
      `${"老年人电脑入门".repeat(4)}（周四班）`,
    );
    const h = await createHarness({ db, now: NOW.toISOString() });
    for (const language_code of ["zh", "en"]) {
      db.prepare("UPDATE users SET locale = ? WHERE id = ?").run(language_code, USERS.admin);
      const calls = await h.send({ id: USERS.admin, first_name: "Admin", language_code }, "/roster");
      const labels = buttons(calls.find((c) => c.method === "sendMessage"))
        .filter((b) => b.data?.startsWith("rst:c:"))
        .map((b) => b.text);
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (const l of labels)
        expect(l, l).toMatch(language_code === "zh" ? /（\d+\/\d+）$/ : / \(\d+\/\d+\)$/);
      expect(new Set(labels).size).toBe(labels.length);
      if (language_code === "zh") for (const l of labels) expect(halfWidthSlips(l), l).toEqual([]);
    }
  });
});

describe("staff screens in Chinese", () => {
  it("use full-width punctuation around Chinese words", async () => {
    const db = openDatabase(":memory:");
    migrate(db);
    seedFixture(db);
    const h = await createHarness({ db, now: NOW.toISOString() });
    const admin = { id: USERS.admin, first_name: "Admin", language_code: "zh" };
    for (const command of ["/staff", "/summary", "/roster", "/volunteers", "/ratings", "/help"]) {
      const calls = await h.send(admin, command);
      const shown = [...texts(calls), ...calls.flatMap((c) => buttons(c).map((b) => b.text))];
      for (const t of shown) expect(halfWidthSlips(t), `${command}: ${t}`).toEqual([]);
    }
  });
});
