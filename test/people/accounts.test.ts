import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { cleanName, touchAccount } from "../../src/people/accounts.ts";

const at = (iso: string) => new Date(iso);

describe("touchAccount", () => {
  it("records a new person with their own participant row, once", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const first = touchAccount(
      db,
      { id: 1, first_name: "王秀兰", language_code: "zh-hans" },
      at("2026-11-30T01:00:00Z"),
    );
    expect(first.isNew).toBe(true);
    const again = touchAccount(
      db,
      { id: 1, first_name: "王秀兰", language_code: "zh-hans" },
      at("2026-11-30T01:01:00Z"),
    );
    expect(again.isNew).toBe(false);
    expect(db.prepare("SELECT count(*) FROM people WHERE account_id = 1").pluck().get()).toBe(1);
  });

  it("writes nothing for someone seen a moment ago, but keeps names, language and last seen current", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const lastSeen = () => db.prepare("SELECT last_seen_at FROM users WHERE id = 1").pluck().get();
    touchAccount(db, { id: 1, first_name: "Emma", language_code: "en" }, at("2026-11-30T01:00:00Z"));
    const before = db.prepare("SELECT total_changes()").pluck().get();
    touchAccount(db, { id: 1, first_name: "Emma", language_code: "en" }, at("2026-11-30T01:05:00Z"));
    expect(db.prepare("SELECT total_changes()").pluck().get()).toBe(before);
    expect(lastSeen()).toBe("2026-11-30T01:00:00.000Z");

    touchAccount(db, { id: 1, first_name: "Emma C.", language_code: "en" }, at("2026-11-30T01:06:00Z"));
    expect(db.prepare("SELECT first_name FROM users WHERE id = 1").pluck().get()).toBe("Emma C.");
    touchAccount(db, { id: 1, first_name: "Emma C.", language_code: "en" }, at("2026-11-30T02:00:00Z"));
    expect(lastSeen()).toBe("2026-11-30T02:00:00.000Z");

    // Someone marked unreachable (they blocked the bot) who writes again is reachable again.
    db.prepare("UPDATE users SET unreachable_at = '2026-11-30T02:01:00.000Z' WHERE id = 1").run();
    expect(
      touchAccount(db, { id: 1, first_name: "Emma C.", language_code: "en" }, at("2026-11-30T02:02:00Z"))
        .unreachable,
    ).toBe(false);
  });
});

describe("cleanName", () => {
  it("keeps emoji and CJK, strips control, zero-width and direction characters, folds space", () => {
    expect(cleanName("  王\u200b秀兰 🌸 ")).toBe("王秀兰 🌸");
    expect(cleanName("Ann\u202eevil\u202c\u0007\nSmith")).toBe("Annevil Smith");
  });
  it("bounds the length by characters, not bytes", () => {
    expect(Array.from(cleanName("书".repeat(5000)))).toHaveLength(64);
    expect(cleanName("😀".repeat(100)).length).toBe(128); // 64 emoji, two UTF-16 units each
  });
  it("leaves HTML as text, to be escaped where it is shown", () => {
    expect(cleanName("<b>Bob</b>")).toBe("<b>Bob</b>");
  });
});
