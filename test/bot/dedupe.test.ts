import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { flushHandledUpdates } from "../../src/bot/middleware/dedupe.ts";
import { createHarness } from "../helpers/bot-harness.ts";

const help = (updateId: number) => ({
  update_id: updateId,
  message: {
    message_id: 1,
    date: 0,
    chat: { id: 9, type: "private" as const, first_name: "A" },
    from: { id: 9, is_bot: false, first_name: "A" },
    text: "/help",
    entities: [{ type: "bot_command" as const, offset: 0, length: 5 }],
  },
});

describe("updates delivered again after a restart", () => {
  it("are dropped once written down, and handled again when the process died before that", async () => {
    const db = openDatabase(":memory:");
    migrate(db);
    const first = await createHarness({ db });
    await first.bot.handleUpdate(help(500));
    await first.bot.handleUpdate(help(501));
    await first.bot.handleUpdate(help(501));
    expect(first.calls.filter((c) => c.method === "sendMessage")).toHaveLength(2);
    // 500 and 501 are written down at shutdown…
    flushHandledUpdates(db);
    expect(db.prepare("SELECT update_id FROM processed_updates ORDER BY 1").pluck().all()).toEqual([
      500, 501,
    ]);

    // …so the restarted bot drops them when Telegram sends them again.
    const second = await createHarness({ db });
    await second.bot.handleUpdate(help(500));
    await second.bot.handleUpdate(help(502));
    expect(second.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);

    // 502 was never written down (a crash): a third process handles it again rather than lose it.
    const third = await createHarness({ db });
    await third.bot.handleUpdate(help(502));
    expect(third.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });
});
