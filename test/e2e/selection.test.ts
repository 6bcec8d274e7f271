/**
 * The annual selection end to end: the real app (bot, outbox sender) against the emulator. An
 * admin opens /selection, ticks a learning family and sends; the family's account receives the
 * certificate (picture and PDF), and its code verifies through /start v_<code>.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.ts";
import type { App } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { silentLogger } from "../../src/logger.ts";
import { createDriver } from "../../src/sandbox/driver.ts";
import type { DriverUser } from "../../src/sandbox/driver.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { addCourse, addUser, DAY_MS, NOW, seedPlaces } from "../enrollment/fixture.ts";
import { E2E_TOKEN } from "../helpers/e2e.ts";

const ADMIN = 9201;
const FAMILY = 9202;
const VISITOR = 9203;

describe("the annual selection of learning families", () => {
  let emulator: Emulator;
  let app: App;
  let admin: DriverUser;
  let family: DriverUser;
  let visitor: DriverUser;

  beforeAll(async () => {
    emulator = createEmulator({ token: E2E_TOKEN, rateLimit: false });
    const { apiRoot } = await emulator.start(0);
    const db = openDatabase(":memory:");
    migrate(db);
    seedPlaces(db);
    const at = NOW.toISOString();
    // The Lis: the holder and a child both completed a course that ended this year.
    const course = addCourse(db, { firstAt: new Date(NOW.getTime() - 40 * DAY_MS), sessions: 4 });
    const holder = addUser(db, FAMILY, "李建国").selfId;
    const child = addFamilyMember(db, FAMILY, { name: "李小雨", relation: "child", birthYear: 2015 }, NOW).id;
    for (const person of [holder, child])
      for (const s of db.prepare("SELECT id FROM sessions WHERE course_id = ?").pluck().all(course))
        db.prepare(
          "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
        ).run(s, person, at);
    addUser(db, ADMIN, "管理员");
    db.prepare("UPDATE users SET locale = 'zh' WHERE id IN (?, ?)").run(ADMIN, FAMILY);
    db.prepare("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)").run(ADMIN, at);
    const clock = new ManualClock(NOW);
    const config = parseConfig({ BOT_TOKEN: E2E_TOKEN, BOT_API_ROOT: apiRoot, TIMEZONE: "Asia/Shanghai" });
    app = await startApp(config, silentLogger, { token: E2E_TOKEN, db, clock });
    const driver = createDriver(emulator, { timeoutMs: 8000, settleMs: 300 });
    admin = driver.user({ id: ADMIN, first_name: "管理员", language_code: "zh" });
    family = driver.user({ id: FAMILY, first_name: "李建国", language_code: "zh" });
    visitor = driver.user({ id: VISITOR, first_name: "访客", language_code: "zh" });
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    await emulator?.stop();
  });

  it("an admin ticks the family and sends; the family gets the certificate, whose code verifies", async () => {
    await family.send("/start");
    await admin.send("/selection");
    const board = await admin.waitFor((m) => m.text.includes("学习型家庭和学习型团队评选"));
    expect(board.text).toContain("☐ 李建国、李小雨（结业 2 门次）");
    await admin.press("☐ 李建国、李小雨");
    await admin.press("📨 发送证书（1）");
    await admin.waitFor((m) => m.text.includes("给 1 个家庭和 0 个团队发送证书"));
    await admin.press("✅ 确认发送");
    await admin.waitFor((m) => m.text.includes("证书已发送给 1 个家庭和 0 个团队"));

    await app.sender.drainOnce();
    const picture = await family.waitFor((m) => m.photo !== undefined && m.text.includes("学习型家庭"));
    expect(picture.text).toContain("恭喜！您家被评为“2026 年度学习型家庭”");
    const code = /验证码：([A-Z0-9]+)/.exec(picture.text)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    const pdf = await family.waitFor((m) => m.document !== undefined);
    expect(pdf.document?.file_name).toBe(`certificate-${code}.pdf`);

    await visitor.send(`/start v_${code}`);
    const verified = await visitor.waitFor((m) => m.text.includes("证书有效"));
    expect(verified.text).toContain("学习型家庭：李建国");
    expect(verified.text).toContain("2026 年度学习型家庭");
  });
});
