import { Composer } from "grammy";
import { describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.ts";
import { pressGated } from "../../src/bot/features/index.ts";

/** A feature that records what reached it and passes on. */
function probe(presses: string[]) {
  const seen: string[] = [];
  const composer = new Composer<BotContext>();
  composer.use(async (ctx, next) => {
    seen.push(ctx.callbackQuery?.data ?? "(not a press)");
    await next();
  });
  return { seen, gated: pressGated({ create: () => composer, presses }) };
}

async function run(gated: ReturnType<typeof probe>["gated"], ctx: Partial<BotContext>): Promise<boolean> {
  let passedOn = false;
  await gated(ctx as BotContext, async () => {
    passedOn = true;
  });
  return passedOn;
}

describe("pressGated", () => {
  it("hands a feature only the presses that start with one of its words, and every other update", async () => {
    const { seen, gated } = probe(["enr", "off"]);
    expect(await run(gated, { callbackQuery: { data: "enr:ok:12:s:-" } } as never)).toBe(true);
    expect(await run(gated, { callbackQuery: { data: "off:a:7" } } as never)).toBe(true);
    // Another feature's press skips this one whole, and goes on to the next.
    expect(await run(gated, { callbackQuery: { data: "enrx:1" } } as never)).toBe(true);
    expect(await run(gated, { callbackQuery: { data: "crs:p:2" } } as never)).toBe(true);
    // A message, a command or a press without data (a game) passes through the feature.
    expect(await run(gated, { message: { text: "/start" } } as never)).toBe(true);
    expect(await run(gated, { callbackQuery: { game_short_name: "g" } } as never)).toBe(true);
    expect(seen).toEqual(["enr:ok:12:s:-", "off:a:7", "(not a press)", "(not a press)"]);
  });

  it("reads a word with no colon after it as the whole data", async () => {
    const { seen, gated } = probe(["lang"]);
    await run(gated, { callbackQuery: { data: "lang" } } as never);
    await run(gated, { callbackQuery: { data: "language:zh" } } as never);
    expect(seen).toEqual(["lang"]);
  });
});
