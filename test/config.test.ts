import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";

const problems = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe("configuration", () => {
  it("has working defaults with no environment at all (the sandbox)", () => {
    const c = parseConfig({});
    expect(c.mode).toEqual({ kind: "sandbox", port: 8080 });
    expect(c.apiRoot).toBe("https://api.telegram.org");
    expect(c.databasePath).toBe("data/lifelong.db");
    expect(c.timezone).toBe("Asia/Shanghai");
    expect(c.defaultLocale).toBe("zh");
    expect(c.reminderLeadHours).toEqual([24, 2]);
    expect(c.adminIds).toEqual([]);
  });

  it("reads every documented variable", () => {
    const c = parseConfig({
      BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwx",
      BOT_API_ROOT: "http://127.0.0.1:8081/",
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://school.example/tg",
      WEBHOOK_SECRET: "s3cret_token",
      PORT: "8443",
      DATABASE_PATH: "/var/lib/lifelong.db",
      ADMIN_IDS: "11, 22",
      TIMEZONE: "Europe/Berlin",
      DEFAULT_LOCALE: "en",
      LOG_LEVEL: "debug",
    });
    expect(c).toMatchObject({
      apiRoot: "http://127.0.0.1:8081",
      mode: {
        kind: "webhook",
        token: "123456:ABCdefGHIjklMNOpqrSTUvwx",
        url: "https://school.example/tg",
        secret: "s3cret_token",
        port: 8443,
      },
      adminIds: [11, 22],
      timezone: "Europe/Berlin",
      defaultLocale: "en",
      logLevel: "debug",
    });
  });

  it("names every bad variable on a line of its own", () => {
    const lines = problems({
      TIMEZONE: "Mars/Olympus",
      BOT_MODE: "carrier-pigeon",
      PORT: "99999",
      ADMIN_IDS: "12,abc",
      DEFAULT_LOCALE: "fr",
      BOT_TOKEN: "not-a-token",
    });
    expect(lines).toHaveLength(6);
    for (const name of ["TIMEZONE", "BOT_MODE", "PORT", "ADMIN_IDS", "DEFAULT_LOCALE", "BOT_TOKEN"]) {
      expect(lines.some((l) => l.startsWith(name))).toBe(true);
    }
    expect(lines.find((l) => l.startsWith("TIMEZONE"))).toContain("Mars/Olympus");
    // Secrets are never echoed back.
    expect(lines.find((l) => l.startsWith("BOT_TOKEN"))).not.toContain("not-a-token");
  });

  it("asks for the webhook URL and secret in webhook mode", () => {
    const lines = problems({ BOT_MODE: "webhook" });
    expect(lines.map((l) => l.split(":")[0])).toEqual(["WEBHOOK_URL", "WEBHOOK_SECRET"]);
  });

  it("polls with a token and no BOT_MODE", () => {
    expect(parseConfig({ BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwx" }).mode).toEqual({
      kind: "polling",
      token: "123456:ABCdefGHIjklMNOpqrSTUvwx",
    });
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ BOT_TOKEN: "", TIMEZONE: " " }).timezone).toBe("Asia/Shanghai");
  });
});
