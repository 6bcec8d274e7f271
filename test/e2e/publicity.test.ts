import Database from "better-sqlite3";
import jsQRModule from "jsqr";
import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";
import { startBotProcess } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

/**
 * People arriving by the links the school shares: a new person opening each kind of deep link
 * gets the screen the link names (not the generic welcome), the arrival is counted with its
 * source, an ended course offers the site's current courses; staff get a poster in chat.
 */

const TZ = "Asia/Shanghai";
const ADMIN = 700001;
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const labels = (m: StoredMessage | undefined): string[] =>
  (m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : [])
    .flat()
    .map((b) => b.text);

describe("deep links and posters through the bot process", () => {
  let bot: BotProcess;
  let db: Database.Database;

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: (path) => {
        const setup = openDatabase(path);
        migrate(setup);
        importCatalogFile(setup, "data/catalog.yaml", { timezone: TZ, now: new Date() });
        // A course that has been cancelled: its old posters still hang on notice boards.
        setup.prepare("UPDATE courses SET status = 'cancelled' WHERE code = 'pk-taichi'").run();
        const now = new Date().toISOString();
        setup
          .prepare("INSERT INTO users (id, first_name, locale, created_at) VALUES (?, 'Admin', 'zh', ?)")
          .run(ADMIN, now);
        setup.prepare("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)").run(ADMIN, now);
        setup.close();
      },
    });
    db = new Database(bot.databasePath, { readonly: true, fileMustExist: true });
  }, 40_000);

  afterAll(async () => {
    db?.close();
    await bot?.stop();
  });

  const arrivals = (userId: number) =>
    db.prepare("SELECT source, target, is_new FROM arrivals WHERE user_id = ? ORDER BY id").all(userId);

  it("a course link from a poster shows the course's card with its enrol button, in the person's language", async () => {
    const anna = bot.driver.user({ id: 710001, first_name: "Anna", language_code: "en" });
    await anna.send("/start c_jt-meridian_p");
    const card = await anna.waitFor((m) => m.text.includes("Meridian Exercises"));
    expect(labels(card)).toContain("✍️ Enrol");
    const all = await anna.messages();
    expect(all.some((m) => m.text.includes("Welcome to the Lifelong Community School"))).toBe(true);
    // Not the generic welcome with the privacy notice.
    expect(all.some((m) => m.text.includes("Tap the big buttons"))).toBe(false);
    expect(arrivals(710001)).toEqual([{ source: "poster", target: "c:jt-meridian", is_new: 1 }]);
  });

  it("an event link shared into a chat shows the event", async () => {
    const li = bot.driver.user({ id: 710002, first_name: "李", language_code: "zh-hans" });
    await li.send("/start e_jt-spring-couplets_s");
    const card = await li.waitFor((m) => m.text.includes("迎春写春联"));
    expect(card.text).toContain("地点");
    expect(arrivals(710002)).toEqual([{ source: "share", target: "e:jt-spring-couplets", is_new: 1 }]);
  });

  it("a site link from the channel lists the site's open courses", async () => {
    const zhao = bot.driver.user({ id: 710003, first_name: "赵", language_code: "zh" });
    await zhao.send("/start s_jingtai_c");
    const list = await zhao.waitFor((m) => m.text.includes("现在开放的课程"));
    expect(list.text).toContain("景泰路街道社区学校");
    expect(labels(list).some((l) => l.includes("经络养生操"))).toBe(true);
    expect(arrivals(710003)).toEqual([{ source: "channel", target: "s:jingtai", is_new: 1 }]);
  });

  it("the volunteer link from the public page leads to the sign-up", async () => {
    const sun = bot.driver.user({ id: 710004, first_name: "孙", language_code: "zh" });
    await sun.send("/start v_w");
    const invite = await sun.waitFor((m) => labels(m).includes("🙋 登记当志愿者"));
    expect(invite.text).toContain("志愿者");
    await sun.press("🙋 登记当志愿者");
    await sun.waitFor((m) => m.text !== invite.text && m.message_id > invite.message_id);
    expect(arrivals(710004)).toEqual([{ source: "page", target: "v", is_new: 1 }]);
  });

  it("an ended course says so kindly and shows its site's current courses; an unknown one points to the catalog", async () => {
    const qian = bot.driver.user({ id: 710005, first_name: "钱", language_code: "zh" });
    await qian.send("/start c_pk-taichi_p");
    const ended = await qian.waitFor((m) => m.text.includes("已经结束"));
    expect(ended.text).toContain("公园街道社区学校");
    expect(labels(ended).length).toBeGreaterThan(1);
    await qian.send("/start c_no-such-course_p");
    const gone = await qian.waitFor((m) => m.text.includes("找课程") && m.text.includes("已经结束"));
    expect(gone.text).not.toContain("公园");
    expect(arrivals(710005).map((a) => (a as { is_new: number }).is_new)).toEqual([1, 0]);
  });

  it("staff get the course poster from the course screen: a one-page PDF and a PNG whose QR opens the course", async () => {
    const admin = bot.driver.user({ id: ADMIN, first_name: "Admin", language_code: "zh" });
    await admin.send("/poster jt-meridian");
    const doc = await admin.waitFor(
      (m) => m.document !== undefined && m.document.file_name === "poster-jt-meridian.pdf",
      { timeoutMs: 60_000 },
    );
    const pdf = await admin.download(doc);
    const parsed = await new PDFParse({ data: new Uint8Array(pdf) }).getText();
    expect(parsed.total).toBe(1);
    expect(parsed.text).toContain("经络养生操");
    const photo = await admin.waitFor((m) => m.photo !== undefined, { timeoutMs: 60_000 });
    const png = PNG.sync.read(await admin.download(photo));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBe("https://t.me/lifelong_e2e_bot?start=c_jt-meridian_p");
    await admin.send("/poster nothing-here");
    await admin.waitFor((m) => m.text.includes("没有找到代码为"));
  }, 150_000);

  it("inline mode: `@bot 书法` lists matching courses with an Open-in-the-bot link; odd queries never fail", async () => {
    const zhou = bot.driver.user({ id: 710006, first_name: "宋小明", language_code: "zh" });
    const found = await zhou.inlineQuery("书法");
    const results = found.answer.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(20);
    expect(results.some((r) => String(r.title).includes("书画"))).toBe(true);
    for (const r of results) {
      expect(Buffer.byteLength(r.id)).toBeLessThanOrEqual(64);
      const button = r.reply_markup?.inline_keyboard[0]?.[0] as { text: string; url: string } | undefined;
      expect(button?.text).toBe("在机器人里打开");
      expect(button?.url).toMatch(/^https:\/\/t\.me\/lifelong_e2e_bot\?start=[ce]_[a-z0-9-]+_s$/);
      // Course facts only: nobody's name, no counts of who enrolled beyond seats.
      expect(r.input_message_content?.message_text).not.toContain("宋小明");
    }
    // The Share button on a card puts the course's code in: that course alone comes back.
    const exact = await zhou.inlineQuery("jt-meridian");
    expect(exact.answer.results.map((r) => r.id)).toHaveLength(1);
    expect(exact.answer.results[0]?.title).toBe("经络养生操");
    for (const odd of [
      "书".repeat(300),
      "🎨🧧👵🏻‍🦳",
      "<b>x</b>&amp;<script>",
      "   ",
      "'; DROP TABLE courses; --",
    ]) {
      const answer = await zhou.inlineQuery(odd);
      expect(answer.answer.results.length).toBeGreaterThan(0);
      expect(answer.answer.results.length).toBeLessThanOrEqual(20);
    }
    // Sharing: the card goes into a family member's chat with its Open-in-the-bot button, and
    // the family member who opens it arrives counted as "share".
    const mum = bot.driver.user({ id: 710008, first_name: "妈妈", language_code: "zh" });
    await mum.send("/help");
    await mum.waitFor((m) => m.side === "bot");
    const shared = bot.emulator.state.sendInlineResult(
      710006,
      exact.queryId,
      exact.answer.results[0]!.id,
      710008,
    );
    expect(shared.text).toContain("经络养生操");
    const open =
      (shared.reply_markup as { inline_keyboard: { url?: string }[][] }).inline_keyboard[0]?.[0]?.url ?? "";
    expect(open).toBe("https://t.me/lifelong_e2e_bot?start=c_jt-meridian_s");
    await mum.send(`/start ${open.split("start=")[1]}`);
    await mum.waitFor(
      (m) => m.text.includes("经络养生操") && m.side === "bot" && m.message_id > shared.message_id + 1,
    );
    expect(arrivals(710008)).toEqual([{ source: "share", target: "c:jt-meridian", is_new: 0 }]);
    const nothing = await zhou.inlineQuery("🎨🧧");
    expect(nothing.answer.results.map((r) => r.id)).toEqual(["none"]);
    expect(nothing.answer.results[0]?.title).toBe("没有找到课程");
  });

  it("every course card has a Share button that opens the chat picker with the course's code", async () => {
    const wu = bot.driver.user({ id: 710007, first_name: "吴", language_code: "zh" });
    await wu.send("/start c_jt-meridian");
    const card = await wu.waitFor((m) => m.text.includes("经络养生操"));
    const share = (
      card.reply_markup && "inline_keyboard" in card.reply_markup ? card.reply_markup.inline_keyboard : []
    )
      .flat()
      .find((b) => b.text === "📤 分享给家人");
    expect(share?.switch_inline_query_chosen_chat).toEqual({
      query: "jt-meridian",
      allow_user_chats: true,
      allow_group_chats: true,
    });
    expect(arrivals(710007)).toEqual([{ source: "other", target: "c:jt-meridian", is_new: 1 }]);
  });
});
