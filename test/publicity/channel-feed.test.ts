import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { ManualClock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { createSender } from "../../src/notify/sender.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import { feedPaused, resumeFeed, runChannelFeed, skipPost } from "../../src/publicity/channel-feed.ts";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { createEmulator, DEFAULT_TOKEN } from "../../src/sandbox/emulator/index.ts";

/**
 * The channel feed end to end through the outbox and the sender into an emulated channel:
 * preview to staff, post at its time, skip, deadline, and the channel out of reach.
 */

const TZ = "Asia/Shanghai";
const CHANNEL = -1001234567890;
const ADMIN = 500;
const HOUR = 3600_000;
const T0 = new Date("2026-08-20T02:00:00.000Z"); // a Thursday, before any session of the catalog

describe("channel feed", () => {
  let emulator: Emulator;
  const db = openDatabase(":memory:");
  const clock = new ManualClock(T0);
  const config = {
    ...parseConfig({ PUBLIC_CHANNEL: String(CHANNEL), BOT_USERNAME: "lifelong_test_bot", TIMEZONE: TZ }),
  };
  let sender: ReturnType<typeof createSender>;
  const feed = () => runChannelFeed(db, { channel: config.publicChannel, timezone: TZ }, clock.now());
  const channelPosts = () => emulator.state.messages(CHANNEL).filter((m) => m.side === "bot");
  const adminMessages = () => emulator.state.messages(ADMIN).filter((m) => m.side === "bot");
  const open = (code: string, at: Date) =>
    db
      .prepare("UPDATE courses SET status = 'open', enrol_opens_at = ? WHERE code = ?")
      .run(at.toISOString(), code);
  const idOf = (code: string) =>
    db.prepare("SELECT id FROM courses WHERE code = ?").pluck().get(code) as number;

  beforeAll(async () => {
    migrate(db);
    importCatalogFile(db, "data/catalog.yaml", {
      timezone: TZ,
      now: new Date(T0.getTime() - 30 * 24 * HOUR),
    });
    db.prepare("INSERT INTO users (id, first_name, locale, created_at) VALUES (?, 'Admin', 'en', ?)").run(
      ADMIN,
      T0.toISOString(),
    );
    db.prepare("INSERT INTO roles (user_id, role, granted_at) VALUES (?, 'admin', ?)").run(
      ADMIN,
      T0.toISOString(),
    );
    emulator = createEmulator({ rateLimit: false, now: () => clock.now().getTime() });
    await emulator.start(0);
    emulator.state.ensureUser({ id: ADMIN, first_name: "Admin", language_code: "en" });
    emulator.state.ensureChannel(CHANNEL, "社区学校");
    sender = createSender({
      db,
      api: new Api(DEFAULT_TOKEN, { apiRoot: emulator.apiRoot as string }),
      i18n: await createI18n("zh"),
      config,
      clock,
      logger: silentLogger,
      templates: TEMPLATES,
    });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("on its first run posts nothing about courses that were open already", async () => {
    expect(feed()).toMatchObject({ planned: 0, queued: 0 });
    await sender.drainOnce();
    expect(channelPosts()).toHaveLength(0);
  });

  it("a course that opens is previewed to staff, then posted at its time in the channel's language with an enrol link", async () => {
    clock.set(new Date(T0.getTime() + HOUR));
    open("jt-meridian", clock.now());
    expect(feed().planned).toBe(1);
    await sender.drainOnce();
    const preview = adminMessages().at(-1);
    expect(preview?.text).toContain("Channel preview");
    expect(preview?.text).toContain("经络养生操"); // the post as the channel will read it (zh)
    expect(JSON.stringify(preview?.reply_markup)).toContain(`pub:sk:open:${idOf("jt-meridian")}`);
    expect(feed().queued).toBe(0); // not before its time
    clock.set(new Date(T0.getTime() + 3 * HOUR + 60_000));
    expect(feed().queued).toBe(1);
    await sender.drainOnce();
    const post = channelPosts().at(-1);
    expect(post?.text).toContain("经络养生操");
    expect(post?.text).toContain("开始报名了");
    expect(JSON.stringify(post?.reply_markup)).toContain(
      "https://t.me/lifelong_test_bot?start=c_jt-meridian_c",
    );
    feed();
    expect(
      db
        .prepare("SELECT state FROM channel_posts WHERE key = ?")
        .pluck()
        .get(`open:${idOf("jt-meridian")}`),
    ).toBe("sent");
  });

  it("a skipped post never goes out", async () => {
    open("pk-taichi", clock.now());
    feed();
    expect(skipPost(db, `open:${idOf("pk-taichi")}`)).toBe(true);
    clock.set(new Date(clock.now().getTime() + 3 * HOUR));
    const before = channelPosts().length;
    feed();
    await sender.drainOnce();
    expect(channelPosts()).toHaveLength(before);
    expect(skipPost(db, `open:${idOf("pk-taichi")}`)).toBe(false);
  });

  it("a post past its deadline when the sender gets to it is dropped", async () => {
    open("sp-english-kids", clock.now());
    feed();
    clock.set(new Date(clock.now().getTime() + 3 * HOUR));
    feed(); // queued
    db.prepare("UPDATE channel_posts SET deadline = ? WHERE key = ?").run(
      clock.now().toISOString(),
      `open:${idOf("sp-english-kids")}`,
    );
    const before = channelPosts().length;
    await sender.drainOnce();
    expect(channelPosts()).toHaveLength(before);
    expect(
      db
        .prepare("SELECT state FROM outbox WHERE key = ?")
        .pluck()
        .get(`channel:open:${idOf("sp-english-kids")}`),
    ).toBe("dropped");
  });

  it("with the bot removed from the channel, admins hear once and the feed waits, then carries on", async () => {
    open("jt-computer-senior", clock.now());
    feed();
    emulator.state.blockUser(CHANNEL);
    clock.set(new Date(clock.now().getTime() + 3 * HOUR));
    expect(feed().queued).toBe(1);
    await sender.drainOnce(); // 403
    const adminBefore = adminMessages().length;
    expect(feed().paused).toBe(1);
    expect(feedPaused(db)).toBe(true);
    await sender.drainOnce();
    const notices = adminMessages()
      .slice(adminBefore)
      .filter((m) => m.text.includes("cannot be reached"));
    expect(notices).toHaveLength(1);
    // Later runs neither repeat the notice nor post.
    clock.set(new Date(clock.now().getTime() + HOUR));
    expect(feed()).toMatchObject({ queued: 0, paused: 0 });
    await sender.drainOnce();
    expect(
      adminMessages()
        .slice(adminBefore)
        .filter((m) => m.text.includes("cannot be reached")),
    ).toHaveLength(1);
    // The admin fixes it and presses Try again.
    emulator.state.unblockUser(CHANNEL);
    expect(resumeFeed(db)).toBe(true);
    expect(feed().queued).toBe(1);
    await sender.drainOnce();
    expect(channelPosts().at(-1)?.text).toContain("老年人电脑");
  });
});
