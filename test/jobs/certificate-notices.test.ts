/**
 * The certificate notice end to end: the job runs with the clock moved past a course's last
 * session, the real sender delivers through the Bot API emulator, and the notice's button gets
 * the certificate from the real bot. Nothing before the course ends, nothing twice.
 */
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/create-bot.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { certificateNoticesJob } from "../../src/jobs/certificate-notices.ts";
import { runJob } from "../../src/jobs/runner.ts";
import { silentLogger } from "../../src/logger.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import { createSender } from "../../src/notify/sender.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/index.ts";
import { DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";
import { finished } from "../certificates/fixture.ts";
import { DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { startEmulator, stopAll } from "../notify/sender-setup.ts";

afterEach(stopAll);

const emma = { id: 7001, first_name: "Emma", language_code: "en-GB" };
const wang = { id: 7002, first_name: "王秀兰", language_code: "zh-hans" };

async function world() {
  const emulator = await startEmulator(false);
  const apiRoot = emulator.apiRoot as string;
  const db = freshDb();
  const config = parseConfig({ BOT_API_ROOT: apiRoot, TIMEZONE: "Asia/Shanghai" });
  const i18n = await createI18n(config.defaultLocale);
  const clock = new ManualClock(NOW);
  const deps = { config, db, logger: silentLogger, i18n, clock };
  const bot = createBot(deps, { token: DEFAULT_TOKEN, client: { apiRoot } });
  await bot.init();
  const sender = createSender({ ...deps, api: new Api(DEFAULT_TOKEN, { apiRoot }), templates: TEMPLATES });
  let offset = 0;
  const pump = async () => {
    for (;;) {
      const updates = await bot.api.getUpdates({ offset, timeout: 0 });
      if (updates.length === 0) return;
      for (const u of updates) {
        offset = u.update_id + 1;
        await bot.handleUpdate(u);
      }
    }
  };
  for (const u of [emma, wang]) {
    emulator.state.ensureUser(u);
    emulator.state.sendText(u.id, "/start");
  }
  await pump();
  const self = (id: number) =>
    db.prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1").pluck().get(id) as number;
  const botMessages = (chatId: number): StoredMessage[] =>
    emulator.state.messages(chatId).filter((m) => m.side === "bot");
  return { emulator, db, clock, deps, sender, pump, self, botMessages };
}

describe("certificate notices, end to end", () => {
  it("after the last session, tells the participant who completed it once, and its button gets the certificate", async () => {
    const w = await world();
    // Weekly sessions 20, 13 and 6 days ago and one tomorrow; Emma came to the first three
    // (3 of 4 is 75 %), Wang to two.
    const course = finished(w.db, w.self(emma.id), 3, { firstAt: new Date(NOW.getTime() - 20 * DAY_MS) });
    w.db
      .prepare(
        "INSERT INTO enrolments (course_id, person_id, status, created_at, updated_at) VALUES (?, ?, 'enrolled', ?, ?)",
      )
      .run(course, w.self(wang.id), NOW.toISOString(), NOW.toISOString());
    const sessions = w.db
      .prepare("SELECT id FROM sessions WHERE course_id = ? ORDER BY seq")
      .pluck()
      .all(course);
    for (const s of sessions.slice(0, 2))
      w.db
        .prepare(
          "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
        )
        .run(s, w.self(wang.id), NOW.toISOString());
    const title = w.db.prepare("SELECT title_en FROM courses WHERE id = ?").pluck().get(course) as string;
    const wangBefore = w.botMessages(wang.id).length;

    // The course has not ended yet: nothing.
    expect(await runJob(w.deps, certificateNoticesJob, w.clock.now())).toEqual({ notices: 0 });

    // The next evening at 19:00 school time the last session is over.
    w.clock.set("2026-12-01T11:00:00.000Z");
    expect(await runJob(w.deps, certificateNoticesJob, w.clock.now())).toEqual({ notices: 1 });
    expect(await w.sender.drainOnce()).toMatchObject({ sent: 1, failed: 0 });
    const notice = w.botMessages(emma.id).at(-1)!;
    expect(notice.text).toBe(
      `🎓 You completed “${title}” (3 of 4 sessions). Your certificate is ready: tap below to get it.`,
    );
    expect(w.botMessages(wang.id)).toHaveLength(wangBefore);

    // The button is /certificates' own: the certificate comes as a picture and a PDF.
    const button = (
      notice.reply_markup && "inline_keyboard" in notice.reply_markup
        ? notice.reply_markup.inline_keyboard
        : []
    ).flat()[0] as { text: string; callback_data: string };
    expect(button).toEqual({
      text: "🎓 Get the certificate",
      callback_data: `cert:c:${course}:${w.self(emma.id)}`,
    });
    const { queryId } = w.emulator.state.pressButton(emma.id, notice.message_id, button.callback_data);
    await w.pump();
    expect(w.emulator.state.isQueryAnswered(queryId)).toBe(true);
    const sent = w.botMessages(emma.id).slice(-2);
    expect(sent.map((m) => [Boolean(m.photo), m.document?.file_name?.endsWith(".pdf") ?? false])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(w.db.prepare("SELECT COUNT(*) FROM certificates WHERE course_id = ?").pluck().get(course)).toBe(1);

    // Later runs, the same evening and the next, send nothing more.
    const count = w.botMessages(emma.id).length;
    expect(await runJob(w.deps, certificateNoticesJob, w.clock.now())).toEqual({ notices: 0 });
    w.clock.set("2026-12-02T11:00:00.000Z");
    expect(await runJob(w.deps, certificateNoticesJob, w.clock.now())).toEqual({ notices: 0 });
    expect(await w.sender.drainOnce()).toMatchObject({ sent: 0 });
    expect(w.botMessages(emma.id)).toHaveLength(count);
  });
});
