import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitOf, startBotProcess } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

describe("the bot process against the emulator", () => {
  let bot: BotProcess;
  beforeAll(async () => {
    bot = await startBotProcess({ rateLimit: false });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it("greets a Chinese speaker in Chinese with the main menu, and registers the command menus", async () => {
    const wang = bot.driver.user({ id: 7101, first_name: "王秀兰", language_code: "zh-hans" });
    await wang.send("/start");
    const hello = await wang.nextMessage();
    expect(hello.text).toContain("您好，王秀兰");
    expect(hello.text).toContain("/privacy");
    expect(
      bot.emulator.state
        .getChat(7101)
        ?.replyKeyboard?.keyboard.flat()
        .map((b) => b.text),
    ).toContain("📚 找课程");
    const commands = [...bot.emulator.state.commands.values()];
    expect(JSON.stringify(commands)).toContain("找课程");
    expect(JSON.stringify(commands)).toContain("Find a course");
  });

  it("greets an English speaker in English, answers /help and /privacy", async () => {
    const emma = bot.driver.user({ id: 7102, first_name: "Emma", language_code: "en" });
    await emma.send("/start");
    expect((await emma.nextMessage()).text).toContain("Hello, Emma");
    await emma.send("/help");
    expect((await emma.nextMessage()).text).toContain("How it works");
    await emma.send("/privacy");
    expect((await emma.nextMessage()).text).toContain("/forget");
    await emma.send("❓ Help");
    expect((await emma.nextMessage()).text).toContain("How it works");
  });

  it("switches language with /language and keeps it after a restart", async () => {
    const li = bot.driver.user({ id: 7103, first_name: "李建国", language_code: "zh" });
    await li.send("/language");
    await li.nextMessage();
    await li.press("English");
    await li.waitFor((m) => m.text.includes("speak English"));
    await bot.restart();
    await li.send("/help");
    expect((await li.nextMessage()).text).toContain("How it works");
  });
});

describe("starting and stopping", () => {
  it("refuses a bad TIMEZONE and says why", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH ?? "", TIMEZONE: "Mars/Olympus", BOT_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const { code } = await exitOf(child, 15_000);
    expect(code).toBe(1);
    expect(err).toContain("TIMEZONE");
    expect(err).toContain("Mars/Olympus");
  });

  it("starts the sandbox without a token and stops cleanly on Ctrl-C within 5 s", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifelong-sandbox-"));
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        env: {
          PATH: process.env.PATH ?? "",
          DATABASE_PATH: join(dir, "sandbox.db"),
          SANDBOX_PORT: "0",
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        out += d.toString();
      });
      const deadline = Date.now() + 30_000;
      while (!out.includes("Ctrl-C") && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out).toContain("sandbox");
      child.kill("SIGINT");
      const { code, ms } = await exitOf(child, 8_000);
      expect(code, out).toBe(0);
      expect(ms).toBeLessThan(5_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
