import { describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { seedDemo } from "../../src/demo/demo.ts";
import { DEMO_TEACHER_COURSES } from "../../src/demo/volunteers.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

/**
 * The demo teacher 张老师 opens /attendance on the demo data, picks a class of a course they
 * teach, ticks a person and saves: the mark is theirs, as the check-in item asks.
 */

const TZ = "Asia/Shanghai";
const ZHANG = { id: 100005, first_name: "张老师", language_code: "zh" };

async function setup() {
  const now = new Date("2026-12-04T06:00:00.000Z");
  const db = openDatabase(":memory:");
  migrate(db);
  importCatalogFile(db, "data/catalog.yaml", { timezone: TZ, now });
  seedDemo(db, { timezone: TZ, now });
  return createHarness({ db, now: now.toISOString(), config: { TIMEZONE: TZ } });
}

describe("a teacher's attendance sheet", () => {
  it("lets 张老师 tick a resident on a class of their own course and save it", async () => {
    const h = await setup();
    const list = (await h.send(ZHANG, "/attendance")).find((c) => c.method === "sendMessage");
    const sessions = buttons(list)
      .map((b) => b.data ?? "")
      .filter((d) => d.startsWith("att:s:"));
    expect(sessions.length, texts([list!]).join()).toBeGreaterThan(0);
    const own = h.db
      .prepare(
        `SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id WHERE c.code IN (${DEMO_TEACHER_COURSES.map(() => "?").join(",")})`,
      )
      .pluck()
      .all(...DEMO_TEACHER_COURSES) as number[];
    const listed = sessions.map((d) => Number(d.slice("att:s:".length)));
    expect(
      listed.every((id) => own.includes(id)),
      "only their own courses",
    ).toBe(true);

    // The sheet of the latest class: tick the first person not yet present, then save.
    const sessionId = listed[listed.length - 1]!;
    const sheet = (await h.press(ZHANG, `att:s:${sessionId}`)).find((c) => c.method === "editMessageText");
    const unticked = buttons(sheet).find((b) => b.text.startsWith("⬜") && b.data?.startsWith("att:t:"));
    expect(unticked, "someone to tick").toBeDefined();
    const index = Number(unticked!.data!.split(":")[4]);
    const after = (await h.press(ZHANG, unticked!.data!)).find((c) => c.method === "editMessageText");
    expect(buttons(after)[index]?.text.startsWith("✅")).toBe(true);
    const save = buttons(after).find((b) => b.data?.startsWith("att:v:"))!.data!;
    expect(texts(await h.press(ZHANG, save))[0]).toContain("已保存");
    const marked = h.db
      .prepare(
        "SELECT COUNT(*) FROM attendance WHERE session_id = ? AND status = 'present' AND recorded_by = ?",
      )
      .pluck()
      .get(sessionId, ZHANG.id);
    expect(marked).toBeGreaterThanOrEqual(1);

    // A course they do not teach is refused, even with forged data.
    const other = h.db
      .prepare(
        `SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id WHERE c.code NOT IN (${DEMO_TEACHER_COURSES.map(() => "?").join(",")}) LIMIT 1`,
      )
      .pluck()
      .get(...DEMO_TEACHER_COURSES) as number;
    const forged = await h.press(ZHANG, `att:s:${other}`);
    expect(forged.some((c) => c.method === "editMessageText")).toBe(false);
    expect(forged.find((c) => c.method === "answerCallbackQuery")?.payload.show_alert).toBe(true);
  });
});
