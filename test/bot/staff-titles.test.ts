/** Titles staff type: the English one is one optional step (with Skip), and English screens show it. */
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const staffNorth = { id: USERS.staff1, first_name: "North", language_code: "zh" };
const adminEn = { id: USERS.admin, first_name: "Admin", language_code: "en" };

async function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  db.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(USERS.admin);
  return createHarness({ db, now: NOW.toISOString() });
}

/** Runs the course form after its titles. */
async function finishCourse(h: Awaited<ReturnType<typeof setup>>): Promise<void> {
  await h.press(staffNorth, "crm:f:computer");
  await h.press(staffNorth, "crm:f:seniors");
  await h.send(staffNorth, "12");
  await h.press(staffNorth, "crm:f:1");
  await h.send(staffNorth, "-");
  await h.send(staffNorth, "2026-12-07 mon,thu 09:00 90 2");
  await h.press(staffNorth, "crm:f:yes");
}

describe("staff-typed titles", () => {
  it("asks for the English course title with a Skip button, and English screens show it", async () => {
    const h = await setup();
    await h.press(staffNorth, "crm:new");
    const ask = await h.send(staffNorth, "手机摄影");
    expect(buttons(ask.find((c) => c.method === "sendMessage")).map((b) => b.data)).toEqual(["crm:skipEn"]);
    await h.send(staffNorth, "Phone photography");
    await finishCourse(h);
    expect(h.db.prepare("SELECT title_en FROM courses WHERE title_zh = '手机摄影'").pluck().get()).toBe(
      "Phone photography",
    );
    const list = await h.send(adminEn, "/manage");
    expect(buttons(list.find((c) => c.method === "sendMessage")).map((b) => b.text)).toContain(
      "Phone photography",
    );
  });

  it("keeps the Chinese title for English screens when Skip is pressed", async () => {
    const h = await setup();
    await h.press(staffNorth, "crm:new");
    await h.send(staffNorth, "剪纸");
    await h.press(staffNorth, "crm:skipEn");
    await finishCourse(h);
    expect(h.db.prepare("SELECT title_en FROM courses WHERE title_zh = '剪纸'").pluck().get()).toBe("剪纸");
  });

  it("asks staff for a shift's title in the other language, with Skip", async () => {
    const h = await setup();
    expect(texts(await h.send(staffNorth, "/newshift"))[0]).toContain("服务内容");
    const zh = await h.send(staffNorth, "签到引导");
    expect(texts(zh)[0]).toContain("英文名称");
    expect(buttons(zh[0]).map((b) => b.data)).toEqual(["shf:skipTitle"]);
    await h.send(adminEn, "/newshift");
    const en = await h.send(adminEn, "Ushering");
    expect(texts(en)[0]).toContain("Chinese title");
    const next = await h.press(adminEn, "shf:skipTitle");
    expect(texts(next).join()).not.toContain("Chinese title"); // on to the next step
  });
});
