import type { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { BotServices } from "../services.ts";

/**
 * The features, in the order they see an update. Each is one composer narrowed at its top by
 * chat type and role. Conversations are installed before all of them (see create-bot.ts).
 */
export function createFeatures(_services: BotServices): Composer<BotContext>[] {
  return [];
}
