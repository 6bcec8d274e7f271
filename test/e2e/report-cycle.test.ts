/**
 * The monthly report cycle end to end: the real app (bot, outbox sender, jobs) against the
 * emulator, with the clock moved through October 2026, whose first week is a holiday.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.ts";
import type { App } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { runJobOnce } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import { createDriver } from "../../src/sandbox/driver.ts";
import type { DriverUser } from "../../src/sandbox/driver.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { E2E_TOKEN } from "../helpers/e2e.ts";

const local = (s: string) => new Date(`${s}+08:00`);
const ADMIN = 9101;
const NORTH = 9102;
const SOUTH = 9103;

describe("monthly report cycle through a month with a holiday", () => {
  let emulator: Emulator;
  let app: App;
  let clock: ManualClock;
  let admin: DriverUser;
  let north: DriverUser;
  let south: DriverUser;

  const runJob = async () => {
    const r = await runJobOnce(
      { db: app.deps.db, config: app.deps.config, logger: silentLogger, clock },
      "monthly-reports",
    );
    await app.sender.drainOnce();
    return r;
  };
  const septemberReports = () =>
    app.deps.db.prepare("SELECT COUNT(*) FROM monthly_reports WHERE month = '2026-09'").pluck().get();

  beforeAll(async () => {
    emulator = createEmulator({ token: E2E_TOKEN, rateLimit: false });
    const { apiRoot } = await emulator.start(0);
    const db = openDatabase(":memory:");
    migrate(db);
    const at = "2026-01-01T00:00:00.000Z";
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'centre', 'centre', '区中心', 'Centre')",
    ).run();
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (2, 'north', 'school', '北街社区学校', 'North')",
    ).run();
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (3, 'south', 'school', '南街社区学校', 'South')",
    ).run();
    for (const id of [ADMIN, NORTH, SOUTH])
      db.prepare("INSERT INTO users (id, first_name, locale, created_at) VALUES (?, 'U', 'zh', ?)").run(
        id,
        at,
      );
    db.prepare("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)").run(ADMIN, at);
    db.prepare("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, 'staff', 2, ?)").run(
      NORTH,
      at,
    );
    db.prepare("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, 'staff', 3, ?)").run(
      SOUTH,
      at,
    );
    // The months before are settled, so that start-up finds nothing of its own to open.
    db.prepare(
      "INSERT INTO monthly_reports (site_id, month, opened_at, due_at, submitted_at) VALUES (2, '2026-08', ?, ?, ?), (3, '2026-08', ?, ?, ?)",
    ).run(at, "2026-09-07T16:00:00.000Z", at, at, "2026-09-07T16:00:00.000Z", at);
    clock = new ManualClock(local("2026-10-07T10:00:00"));
    const config = parseConfig({ BOT_TOKEN: E2E_TOKEN, BOT_API_ROOT: apiRoot, TIMEZONE: "Asia/Shanghai" });
    app = await startApp(config, silentLogger, { token: E2E_TOKEN, db, clock });
    const driver = createDriver(emulator, { timeoutMs: 8000, settleMs: 300 });
    admin = driver.user({ id: ADMIN, first_name: "Admin", language_code: "zh" });
    north = driver.user({ id: NORTH, first_name: "North", language_code: "zh" });
    south = driver.user({ id: SOUTH, first_name: "South", language_code: "zh" });
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    await emulator?.stop();
  });

  it("opens nothing during the National Day holiday, then drafts on the first working day", async () => {
    expect((await runJob()).opened).toBe(0);
    expect(septemberReports()).toBe(0);
    clock.set(local("2026-10-08T08:30:00"));
    expect(await runJob()).toMatchObject({ month: "2026-09", opened: 2, drafts: 2, overdue: 0 });
    const draft = await north.waitFor((m) => m.text.includes("北街社区学校 2026-09 月报"));
    expect(draft.text).toContain("数字已经自动填好");
  });

  it("takes a section, refusing one too long with its length, and sends the submitted report to the admin", async () => {
    await north.press("✍️ 写亮点");
    await north.waitFor((m) => m.text.includes("最多 1000 字"));
    await north.send("好".repeat(1001));
    await north.waitFor((m) => m.text.includes("太长了：1001 字"));
    await north.send("重阳节老年书法展，120 人参观。");
    await north.waitFor((m) => m.text.includes("已保存（17 字）"));
    clock.set(local("2026-10-09T16:00:00"));
    await north.press("📤 提交月报");
    await north.waitFor((m) => m.text.includes("月报已提交，区中心会收到"));
    await app.sender.drainOnce();
    // (The weekly digest, caught up at start, also brings the admin a document.)
    const doc = await admin.waitFor((m) => m.document !== undefined && m.text.includes("收到月报"));
    expect(doc.text).toContain("收到月报：北街社区学校 2026-09");
    expect(doc.document?.file_name).toBe("report-2026-09-2.xlsx");
  });

  it("reminds the late school once from the fifth working day, and the admin gets the list", async () => {
    clock.set(local("2026-10-12T08:30:00")); // the fourth working day
    expect((await runJob()).overdue).toBe(0);
    clock.set(local("2026-10-13T08:30:00")); // the fifth (10 October, a Saturday, was worked)
    expect(await runJob()).toMatchObject({ overdue: 1, reminders: 1 });
    await south.waitFor((m) => m.text.includes("提醒：2026-09 的月报还没有提交"));
    const list = await admin.waitFor((m) => m.text.includes("以下学校还没有提交"));
    expect(list.text).toContain("南街社区学校");
    expect(list.text).not.toContain("北街社区学校");
    clock.set(local("2026-10-14T08:30:00"));
    expect(await runJob()).toMatchObject({ overdue: 0, reminders: 0 });
  });

  it("records the late submission and shows the year's grid", async () => {
    await south.press("📤 提交月报");
    await south.waitFor((m) => m.text.includes("记为迟交"));
    await admin.send("/reports");
    const grid = await admin.waitFor((m) => m.text.includes("2026 年月报"));
    expect(grid.text).toContain("north · · · · · · · ✅ ✅ · · ·");
    expect(grid.text).toContain("south · · · · · · · ✅ 🕒 · · ·");
  });
});
