import { Composer, Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { describe, expect, it, vi } from "vitest";
import { installDirectFilter } from "../../src/bot/direct-filter.ts";

const me = { id: 1, is_bot: true, first_name: "b", username: "b_bot" } as UserFromGetMe;
const press = (data: string) =>
  new Context(
    {
      update_id: 1,
      callback_query: {
        id: "q",
        chat_instance: "c",
        data,
        from: { id: 7, is_bot: false, first_name: "王" },
        message: { message_id: 3, date: 0, chat: { id: 7, type: "private", first_name: "王" }, text: "…" },
      },
    } as never,
    {} as never,
    me,
  );

async function run(composer: Composer<Context>, ctx: Context): Promise<void> {
  await composer.middleware()(ctx, async () => {
    (ctx as unknown as { seen: string[] }).seen.push("end");
  });
}

describe("installDirectFilter", () => {
  it("keeps filter's contract: the predicate decides, later additions run, false goes on", async () => {
    installDirectFilter();
    installDirectFilter();
    const seen: string[] = [];
    const root = new Composer<Context>();
    const pm = root.chatType("private");
    pm.callbackQuery(/^a:(\d+)$/, async (ctx, next) => {
      seen.push(`a${ctx.match[1]}`);
      await next();
    });
    pm.callbackQuery("b", () => {
      seen.push("b");
    });
    // Added after the filters were installed: still reached.
    pm.use(async (_ctx, next) => {
      seen.push("late");
      await next();
    });
    root.filter(
      async () => false,
      () => {
        seen.push("never");
      },
    );
    root.drop(
      async () => false,
      async (_ctx, next) => {
        seen.push("dropped-false");
        await next();
      },
    );

    for (const data of ["a:12", "b", "zzz"]) {
      const ctx = press(data);
      (ctx as unknown as { seen: string[] }).seen = seen;
      await run(root, ctx);
      seen.push("|");
    }
    expect(seen).toEqual([
      "a12",
      "late",
      "dropped-false",
      "end",
      "|",
      "b",
      "|",
      "late",
      "dropped-false",
      "end",
      "|",
    ]);
  });

  it("passes on errors of the predicate and of the handler", async () => {
    installDirectFilter();
    const root = new Composer<Context>();
    root.filter(
      () => {
        throw new Error("predicate");
      },
      () => undefined,
    );
    await expect(root.middleware()(press("x"), async () => undefined)).rejects.toThrow("predicate");
    const other = new Composer<Context>();
    other.callbackQuery("x", () => {
      throw new Error("handler");
    });
    await expect(other.middleware()(press("x"), async () => undefined)).rejects.toThrow("handler");
  });

  it("builds nothing per update: a check that fails makes no composer", async () => {
    installDirectFilter();
    const root = new Composer<Context>();
    root.callbackQuery("x", () => undefined);
    root.command("start", () => undefined);
    const handler = root.middleware();
    // Each installed check is asked once by the chain (Composer.use); grammY's own filter also
    // wraps every check in a new Composer per update and asks that one too.
    const asked = vi.spyOn(Composer.prototype, "middleware");
    try {
      await handler(press("y"), async () => undefined);
      expect(asked).toHaveBeenCalledTimes(2);
    } finally {
      asked.mockRestore();
    }
  });
});
