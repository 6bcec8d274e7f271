/**
 * The staff journey through the real bot process and the Bot API emulator: Lucy Zhou (staff of
 * every site, English) reads /summary and /digest, exports a roster, takes attendance and shows
 * the check-in code, moves a session (its participants are told, each in their language) and
 * broadcasts to a course's participants (they get it; Lucy gets the report). A resident asking
 * for staff commands is refused and nothing changes. Expectations are read from the database
 * and the locale files, not hard-coded.
 */
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSONAS } from "../../src/demo/demo.ts";
import { systemClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { runJobOnce } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import type { DriverUser } from "../../src/sandbox/driver.ts";
import type { StoredMessage, TgInlineButton } from "../../src/sandbox/emulator/types.ts";
import { localParts } from "../../src/time.ts";
import { startBotProcess, withDemoData } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

const TZ = "Asia/Shanghai";
type Locale = "zh" | "en";
type Json = { [k: string]: string | Json };
const locale = (lng: Locale, ns: string): Json =>
  JSON.parse(readFileSync(`locales/${lng}/${ns}.json`, "utf8")) as Json;
/** A locale string by dotted path, tags stripped, with the text before the first placeholder. */
function words(lng: Locale, key: string, upToPlaceholder = false): string {
  const [ns, path] = key.split(":") as [string, string];
  let v: string | Json = locale(lng, ns);
  for (const part of path.split(".")) v = (v as Json)[part]!;
  if (typeof v !== "string") throw new Error(`${key} is not a string`);
  const plain = v.replace(/<[^>]+>/g, "");
  return upToPlaceholder ? plain.split("{{")[0]!.trim() : plain;
}

const lucyProfile = DEMO_PERSONAS.find((p) => p.id === 100006)!;
const wangProfile = DEMO_PERSONAS.find((p) => p.id === 100001)!;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const cellsOf = (row: ExcelJS.Row): unknown[] => (row.values as unknown[]).slice(1);
const inline = (m: StoredMessage | undefined): TgInlineButton[][] =>
  m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : [];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("staff journey in the bot process", () => {
  let bot: BotProcess;
  let db: Database.Database;
  let lucy: DriverUser;
  /** Participants of the course used for moving a session and broadcasting, as driver users. */
  const participants = new Map<number, { user: DriverUser; locale: Locale }>();
  let targetCourse: { id: number; title_en: string; title_zh: string };

  const seatHolders = (courseId: number) =>
    db
      .prepare("SELECT COUNT(*) FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')")
      .pluck()
      .get(courseId) as number;

  /**
   * The participants of a course open their chats with the bot (they press Start, as everyone
   * who enrolled through the bot has), and each gets the greeting. Anything the bot wrote to one
   * of them before their chat existed (a volunteer's shift ping at a ten-minute tick, a class
   * reminder) waited for this visit and goes out now, instead of holding back what follows.
   */
  async function meetParticipants(courseId: number): Promise<void> {
    const rows = db
      .prepare(
        `SELECT DISTINCT u.id, u.first_name, u.locale FROM enrolments e JOIN users u ON u.id = e.account_id
         WHERE e.course_id = ? AND e.status IN ('enrolled', 'offered', 'waitlisted')`,
      )
      .all(courseId) as { id: number; first_name: string; locale: Locale | null }[];
    const met: DriverUser[] = [];
    for (const r of rows) {
      if (participants.has(r.id)) continue;
      const lng = r.locale ?? "zh";
      const user = bot.driver.user({ id: r.id, first_name: r.first_name || "Resident", language_code: lng });
      participants.set(r.id, { user, locale: lng });
      met.push(user);
    }
    await Promise.all(
      met.map(async (user) => {
        await user.send("/start");
        await user.nextMessage();
      }),
    );
  }

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: withDemoData(TZ),
    });
    db = new Database(bot.databasePath, { readonly: true, fileMustExist: true });
    lucy = bot.driver.user({
      id: lucyProfile.id,
      first_name: lucyProfile.first_name,
      last_name: lucyProfile.last_name ?? undefined,
      language_code: "en",
    });
    // A digest queued at start (none on a fresh install) would arrive first: let it, so that
    // later steps read only what they asked for.
    const digestDue = () =>
      db
        .prepare(
          "SELECT COUNT(*) FROM outbox WHERE key LIKE 'digest:%' AND chat_id = ? AND state IN ('pending', 'sending')",
        )
        .pluck()
        .get(lucyProfile.id) as number;
    const settleBy = Date.now() + 30_000;
    while (digestDue() > 0 && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 100));
    expect(digestDue()).toBe(0);
    // The course for moving and broadcasting: in the first page of the course list, with a
    // session still to come, and with participants in both languages if there is one.
    const candidates = db
      .prepare(
        `SELECT c.id, c.title_en, c.title_zh,
                (SELECT COUNT(DISTINCT u.id) FROM enrolments e JOIN users u ON u.id = e.account_id
                  WHERE e.course_id = c.id AND e.status = 'enrolled' AND u.locale = 'en') AS en,
                (SELECT COUNT(DISTINCT u.id) FROM enrolments e JOIN users u ON u.id = e.account_id
                  WHERE e.course_id = c.id AND e.status = 'enrolled' AND u.locale = 'zh') AS zh
         FROM courses c
         WHERE c.status IN ('open', 'closed') AND c.health_related = 0
           AND EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > ?)
         ORDER BY c.id LIMIT 8`,
      )
      .all(new Date(Date.now() + 3_600_000).toISOString()) as {
      id: number;
      title_en: string;
      title_zh: string;
      en: number;
      zh: number;
    }[];
    targetCourse = candidates.find((c) => c.en > 0 && c.zh > 0) ?? candidates.find((c) => c.en + c.zh > 0)!;
    expect(targetCourse).toBeDefined();
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await bot?.stop();
  });

  it("shows /summary with the real figures", async () => {
    await lucy.send("/summary");
    const summary = await lucy.waitFor((m) => m.text.includes(words("en", "staff:summary.title")));
    expect(summary.text).toContain(words("en", "staff:summary.fill"));
    const waitlisted = db
      .prepare("SELECT COUNT(*) FROM enrolments WHERE status = 'waitlisted'")
      .pluck()
      .get() as number;
    expect(summary.text).toContain(`${words("en", "staff:summary.waitlisted", true)} ${waitlisted}`);
    // Every fill-rate line names a real course with its real seats and capacity.
    const lines = [...summary.text.matchAll(/^• (.+): (\d+)\/(\d+) \((\d+)%\), waitlist (\d+)$/gm)];
    expect(lines.length).toBeGreaterThan(0);
    for (const [, title, seats, capacity, fill] of lines) {
      const c = db.prepare("SELECT id, capacity FROM courses WHERE title_en = ?").get(title) as
        | { id: number; capacity: number }
        | undefined;
      expect(c, `course "${title}"`).toBeDefined();
      expect(Number(capacity)).toBe(c!.capacity);
      expect(Number(seats)).toBe(seatHolders(c!.id));
      expect(Number(fill)).toBe(Math.round((Number(seats) / c!.capacity) * 100));
    }
  });

  it("sends /digest as a text, a PNG chart and an .xlsx workbook", async () => {
    await lucy.send("/digest");
    const text = await lucy.waitFor((m) => m.text.includes(words("en", "staff:digest.title", true)), {
      timeoutMs: 20_000,
    });
    expect(text.text).toContain(words("en", "staff:digest.residents", true));
    // Wish topics are named in words, never as raw codes such as "other".
    expect(text.text).not.toMatch(/(^|, )[a-z_]+ ×\d/m);
    const photo = await lucy.waitFor((m) => m.photo !== undefined, { timeoutMs: 20_000 });
    expect(photo.text).toContain(words("en", "staff:digest.chartCaption"));
    const png = await lucy.download(photo);
    const size = pngSize(png);
    expect(size.width).toBeGreaterThan(200);
    expect(size.height).toBeGreaterThan(200);
    const doc = await lucy.waitFor((m) => m.document !== undefined, { timeoutMs: 20_000 });
    expect(doc.document?.file_name).toMatch(/^digest-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = await workbook(await lucy.download(doc));
    const courses = wb.getWorksheet(words("en", "staff:sheet.courses"));
    expect(courses, `sheets: ${wb.worksheets.map((w) => w.name).join(", ")}`).toBeDefined();
    expect(cellsOf(courses!.getRow(1))).toEqual(
      ["code", "course", "capacity", "seats", "fillRate", "waitlist"].map((k) =>
        words("en", `staff:sheet.${k}`),
      ),
    );
    expect(courses!.rowCount).toBeGreaterThan(1);
    const [code, title, capacity, seats] = cellsOf(courses!.getRow(2));
    const c = db.prepare("SELECT id, title_en, capacity FROM courses WHERE code = ?").get(code) as {
      id: number;
      title_en: string;
      capacity: number;
    };
    expect(title).toBe(c.title_en);
    expect(capacity).toBe(c.capacity);
    expect(seats).toBe(seatHolders(c.id));
    expect(wb.getWorksheet(words("en", "staff:sheet.targets"))).toBeDefined();
    const demand = wb.getWorksheet(words("en", "staff:sheet.demand"))!;
    for (let r = 2; r <= demand.rowCount; r++)
      expect(String(demand.getRow(r).getCell(1).value)).not.toMatch(/^[a-z_]+$/);
  }, 45_000);

  it("shows a roster and exports it as .xlsx", async () => {
    await lucy.send("/roster");
    const list = await lucy.waitFor((m) => m.text.includes(words("en", "staff:roster.choose")));
    const first = inline(list)
      .flat()
      .find((b) => /^rst:c:\d+$/.test(b.callback_data ?? "") && !b.text.includes("(0/"));
    expect(first, lucy.buttons(list).join(" | ")).toBeDefined();
    expect(lucy.buttons(list)).toContain(words("en", "common:back"));
    const courseId = Number(first!.callback_data!.split(":")[2]);
    await lucy.press(first!.text);
    const rosterMsg = await lucy.waitFor((m) => m.text.startsWith("👥"));
    const people = db
      .prepare(
        `SELECT p.name, e.status FROM enrolments e JOIN people p ON p.id = e.person_id
         WHERE e.course_id = ? AND e.status IN ('enrolled', 'offered', 'waitlisted')`,
      )
      .all(courseId) as { name: string; status: string }[];
    const course = db.prepare("SELECT title_en, capacity FROM courses WHERE id = ?").get(courseId) as {
      title_en: string;
      capacity: number;
    };
    expect(rosterMsg.text).toContain(`${course.title_en} (${seatHolders(courseId)}/${course.capacity})`);
    for (const p of people) expect(rosterMsg.text).toContain(p.name);
    expect(lucy.buttons(rosterMsg)).toContain(words("en", "common:back"));

    await lucy.press(words("en", "staff:roster.export"));
    const doc = await lucy.waitFor((m) => m.document !== undefined, { timeoutMs: 15_000 });
    expect(doc.text).toContain(course.title_en);
    const wb = await workbook(await lucy.download(doc));
    const sheet = wb.getWorksheet(words("en", "staff:sheet.roster"));
    expect(sheet).toBeDefined();
    expect(cellsOf(sheet!.getRow(1))).toEqual(
      ["no", "name", "status", "familyOf", "relation", "phone"].map((k) => words("en", `staff:sheet.${k}`)),
    );
    expect(sheet!.rowCount).toBe(people.length + 1);
    const names = Array.from({ length: people.length }, (_, i) => sheet!.getRow(i + 2).getCell(2).value);
    expect(names.sort()).toEqual(people.map((p) => p.name).sort());
    expect(sheet!.getRow(2).getCell(1).value).toBe(1);

    // Back to the list of courses, and back again to the staff menu.
    await lucy.press(words("en", "common:back"));
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:roster.choose")));
    await lucy.press(words("en", "common:back"));
    const menu = await lucy.waitFor((m) => m.text.includes(words("en", "staff:menu.title", true)));
    expect(lucy.buttons(menu)).toContain(words("en", "staff:menu.attendance"));
  }, 40_000);

  it("takes attendance, saves it, and shows the check-in QR code", async () => {
    await lucy.send("/attendance");
    const list = await lucy.waitFor((m) => m.text.includes(words("en", "staff:attendance.choose")));
    // The newest session listed with at least two people to mark.
    const expectedAt = db.prepare(
      `SELECT p.id, p.name FROM people p WHERE p.id IN (
         SELECT e.person_id FROM enrolments e JOIN sessions s ON s.course_id = e.course_id
         WHERE s.id = :sid AND e.status = 'enrolled'
         UNION SELECT person_id FROM attendance WHERE session_id = :sid)
       ORDER BY p.id`,
    );
    const sessionButton = inline(list)
      .flat()
      .find(
        (b) =>
          /^att:s:\d+$/.test(b.callback_data ?? "") &&
          expectedAt.all({ sid: Number(b.callback_data!.split(":")[2]) }).length >= 2,
      );
    expect(sessionButton, lucy.buttons(list).join(" | ")).toBeDefined();
    expect(lucy.buttons(list)).toContain(words("en", "common:back"));
    const sessionId = Number(sessionButton!.callback_data!.split(":")[2]);
    await lucy.press(sessionButton!.text);
    const sheet = await lucy.waitFor((m) =>
      inline(m)
        .flat()
        .some((b) => b.callback_data?.startsWith("att:t:")),
    );
    const marks = inline(sheet)
      .flat()
      .filter((b) => b.callback_data?.startsWith("att:t:"))
      .map((b) => ({ present: b.text.startsWith("✅"), name: b.text.slice(2).trim() }));
    expect(marks.length).toBeGreaterThanOrEqual(2);
    // Everyone enrolled plus anyone already marked, in a stable order.
    const people = expectedAt.all({ sid: sessionId }) as { id: number; name: string }[];
    expect(marks.map((m) => m.name)).toEqual(people.map((p) => p.name));
    // Flip the first two; the labels show the new marks after each tap.
    for (const i of [0, 1]) {
      const m = marks[i]!;
      await lucy.press(`${m.present ? "✅" : "⬜"} ${m.name}`);
      m.present = !m.present;
      await lucy.waitFor((msg) =>
        inline(msg)
          .flat()
          .some((b) => b.text === `${m.present ? "✅" : "⬜"} ${m.name}`),
      );
    }
    const presentCount = marks.filter((m) => m.present).length;
    await lucy.press(words("en", "staff:attendance.save"));
    const saved = await lucy.waitFor((m) => m.text.includes(words("en", "staff:attendance.saved", true)));
    expect(saved.text).toContain(`${presentCount} present, ${marks.length - presentCount} absent`);
    const rows = db
      .prepare("SELECT person_id, status, source, recorded_by FROM attendance WHERE session_id = ?")
      .all(sessionId) as { person_id: number; status: string; source: string; recorded_by: number | null }[];
    const byPerson = new Map(rows.map((r) => [r.person_id, r]));
    people.forEach((p, i) => {
      const row = byPerson.get(p.id);
      expect(row, `attendance of ${p.name}`).toBeDefined();
      if (marks[i]!.present) expect(row!.status).toBe("present");
      else expect(["absent", "excused"]).toContain(row!.status);
    });
    for (const i of [0, 1]) {
      const row = byPerson.get(people[i]!.id)!;
      expect(row.source).toBe("staff");
      expect(row.recorded_by).toBe(lucyProfile.id);
    }

    // Reopen: the saved marks are shown; then the check-in code for the classroom.
    await lucy.press(words("en", "staff:attendance.reopen"));
    await lucy.waitFor((m) =>
      inline(m)
        .flat()
        .some((b) => b.text === `${marks[0]!.present ? "✅" : "⬜"} ${marks[0]!.name}`),
    );
    await lucy.press(words("en", "staff:attendance.qr"));
    const qr = await lucy.waitFor((m) => m.photo !== undefined, { timeoutMs: 15_000 });
    const code = db
      .prepare("SELECT checkin_code FROM sessions WHERE id = ?")
      .pluck()
      .get(sessionId) as string;
    expect(qr.text).toContain(code);
    expect(qr.text).toContain(`start=ci_${code}`);
    const size = pngSize(await lucy.download(qr));
    expect(size.width).toBe(size.height);
    expect(size.width).toBeGreaterThanOrEqual(300);
  }, 40_000);

  it("moves a session and its participants are told in their language", async () => {
    await meetParticipants(targetCourse.id);
    await lucy.send("/staff");
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:menu.title", true)));
    await lucy.press(words("en", "staff:menu.courses"));
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:crm.choose")));
    await lucy.press(new RegExp(`^${escapeRe(targetCourse.title_en.slice(0, 30))}`));
    await lucy.waitFor((m) => m.text.includes(targetCourse.title_en) && m.text.includes("Capacity"));
    await lucy.press(words("en", "staff:crm.sessions"));
    const sessions = await lucy.waitFor((m) =>
      inline(m)
        .flat()
        .some((b) => b.callback_data?.startsWith("crm:ss:")),
    );
    const next = db
      .prepare(
        "SELECT id, starts_at FROM sessions WHERE course_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at LIMIT 1",
      )
      .get(targetCourse.id, new Date(Date.now() + 3_600_000).toISOString()) as {
      id: number;
      starts_at: string;
    };
    const button = inline(sessions)
      .flat()
      .find((b) => b.callback_data === `crm:ss:${next.id}`);
    expect(button, lucy.buttons(sessions).join(" | ")).toBeDefined();
    await lucy.press(button!.text);
    await lucy.waitFor((m) => lucy.buttons(m).includes(words("en", "staff:crm.move")));
    await lucy.press(words("en", "staff:crm.move"));
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:crm.moveAsk", true)));
    // Two hours later on the same day (or the day after at the same time when that runs past 22:00).
    const oldStart = new Date(next.starts_at);
    const p = localParts(oldStart, TZ);
    const newStart = new Date(oldStart.getTime() + (p.hour < 20 ? 2 : 24) * 3_600_000);
    const q = localParts(newStart, TZ);
    const pad = (n: number) => String(n).padStart(2, "0");
    await lucy.send(`${q.year}-${pad(q.month)}-${pad(q.day)} ${pad(q.hour)}:${pad(q.minute)}`);
    const done = await lucy.waitFor((m) => m.text.includes(words("en", "staff:crm.moved", true)));
    expect(done.text).toContain(`${pad(q.hour)}:${pad(q.minute)}`);
    expect(lucy.buttons(done)).toEqual([words("en", "common:back")]);
    expect(db.prepare("SELECT starts_at FROM sessions WHERE id = ?").pluck().get(next.id)).toBe(
      newStart.toISOString(),
    );
    const told = db
      .prepare(
        `SELECT DISTINCT e.account_id FROM enrolments e JOIN people p ON p.id = e.person_id
         WHERE e.course_id = ? AND e.status = 'enrolled' AND e.account_id IS NOT NULL`,
      )
      .pluck()
      .all(targetCourse.id) as number[];
    expect(told.length).toBeGreaterThan(0);
    for (const id of told) {
      const who = participants.get(id)!;
      const title = who.locale === "zh" ? targetCourse.title_zh : targetCourse.title_en;
      const m = await who.user.waitFor(
        (msg) => msg.text.includes(words(who.locale, "notify:sessionMoved.title")),
        {
          timeoutMs: 15_000,
        },
      );
      expect(m.text).toContain(title);
      expect(m.text).toContain(`${pad(q.hour)}:${pad(q.minute)}`);
    }
    // Back leads to the course's sessions, showing the new time.
    await lucy.press(words("en", "common:back"));
    const after = await lucy.waitFor((m) => m.text.includes(words("en", "staff:crm.sessionsTitle", true)));
    const moved = inline(after)
      .flat()
      .find((b) => b.callback_data === `crm:ss:${next.id}`);
    expect(moved?.text).toContain(`${pad(q.hour)}:${pad(q.minute)}`);
    // Someone waitlisted is not told.
    const waiting = db
      .prepare(
        `SELECT DISTINCT account_id FROM enrolments WHERE course_id = ? AND status = 'waitlisted' AND account_id IS NOT NULL
         AND account_id NOT IN (SELECT account_id FROM enrolments WHERE course_id = ? AND status = 'enrolled' AND account_id IS NOT NULL)`,
      )
      .pluck()
      .all(targetCourse.id, targetCourse.id) as number[];
    for (const id of waiting) {
      const msgs = await participants.get(id)!.user.messages();
      expect(msgs.some((m) => m.text.includes(words("en", "notify:sessionMoved.title")))).toBe(false);
      expect(msgs.some((m) => m.text.includes(words("zh", "notify:sessionMoved.title")))).toBe(false);
    }
  }, 60_000);

  it("broadcasts to a course's participants and reports when done", async () => {
    await meetParticipants(targetCourse.id);
    const expected = db
      .prepare(
        `SELECT DISTINCT account_id FROM enrolments WHERE course_id = ? AND status IN ('enrolled', 'offered')
         AND account_id IS NOT NULL`,
      )
      .pluck()
      .all(targetCourse.id) as number[];
    await lucy.send("/staff");
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:menu.title", true)));
    await lucy.press(words("en", "staff:menu.broadcast"));
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:broadcast.audience")));
    await lucy.press(words("en", "staff:broadcast.course"));
    await lucy.waitFor((m) => m.text.includes(words("en", "staff:broadcast.pickCourse")));
    await lucy.press(new RegExp(`^${escapeRe(targetCourse.title_en.slice(0, 30))}`));
    const ask = await lucy.waitFor((m) => m.text.includes(words("en", "staff:broadcast.write", true)));
    expect(ask.text).toContain(`${expected.length} people`);
    const body = `Tomorrow's class brings <b>tea</b> — ${Date.now()}`;
    await lucy.send(body);
    const confirm = await lucy.waitFor((m) => m.text.includes(words("en", "staff:broadcast.confirm", true)));
    expect(confirm.text).toContain(`${expected.length} people`);
    const plain = body.replace(/<[^>]+>/g, "");
    const preview = (await lucy.messages()).filter((m) => m.side === "bot" && m.text === plain);
    expect(preview).toHaveLength(1);
    await lucy.press(words("en", "staff:broadcast.send"));
    const queued = await lucy.waitFor((m) => m.text.includes(words("en", "staff:broadcast.queued", true)));
    expect(queued.text).toContain(`Queued for ${expected.length} people`);
    expect(lucy.buttons(queued)).toEqual([words("en", "common:back")]);
    for (const id of expected) {
      const who = participants.get(id)!;
      await who.user.waitFor((m) => m.text.includes(plain), { timeoutMs: 20_000 });
    }
    const broadcastId = Number(/no\. (\d+)/.exec(queued.text)?.[1]);
    expect(broadcastId).toBeGreaterThan(0);
    // All settled, then the report job (it also runs every 5 minutes in the bot process).
    const deadline = Date.now() + 10_000;
    const pending = () =>
      db
        .prepare("SELECT COUNT(*) FROM outbox WHERE key LIKE ? AND state IN ('pending', 'sending')")
        .pluck()
        .get(`broadcast:${broadcastId}:%`) as number;
    while (pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pending()).toBe(0);
    const jobDb = openDatabase(bot.databasePath);
    try {
      const config = parseConfig({ DATABASE_PATH: bot.databasePath, TIMEZONE: TZ });
      await runJobOnce({ db: jobDb, config, logger: silentLogger, clock: systemClock }, "broadcast-report");
    } finally {
      jobDb.close();
    }
    const report = await lucy.waitFor((m) => m.text.includes(words("en", "staff:broadcast.report", true)), {
      timeoutMs: 15_000,
      since: 0,
    });
    expect(report.text).toContain(
      `Broadcast ${broadcastId} is done: ${expected.length} people, ${expected.length} delivered, 0 unreachable`,
    );
  }, 60_000);

  it("refuses /summary and /roster to a resident, and nothing changes", async () => {
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    // The outbox is left out: the bot's own jobs may queue reminders meanwhile.
    const before = { audit: count("audit_log"), roles: count("roles"), attendance: count("attendance") };
    const wang =
      participants.get(wangProfile.id)?.user ??
      bot.driver.user({ id: wangProfile.id, first_name: wangProfile.first_name, language_code: "zh" });
    const denied = words("zh", "staff:denied");
    await wang.send("/summary");
    expect((await wang.nextMessage()).text).toBe(denied);
    await wang.send("/roster");
    expect((await wang.nextMessage()).text).toBe(denied);
    const refusals = (await wang.messages()).filter((m) => m.side === "bot" && m.text === denied);
    expect(refusals).toHaveLength(2);
    expect(refusals.every((m) => inline(m).length === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect({ audit: count("audit_log"), roles: count("roles"), attendance: count("attendance") }).toEqual(
      before,
    );
  }, 20_000);
});
