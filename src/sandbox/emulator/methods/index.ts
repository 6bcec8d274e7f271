import { botMethods } from "./bot.ts";
import type { MethodHandler } from "./context.ts";
import { mediaMethods } from "./media.ts";
import { messageMethods } from "./messages.ts";
import { profileMethods } from "./profile.ts";

export type { MethodContext, MethodHandler } from "./context.ts";

const all: Record<string, MethodHandler> = {
  ...botMethods,
  ...messageMethods,
  ...mediaMethods,
  ...profileMethods,
};

// The Bot API matches method names case-insensitively.
const byLowerName = new Map(
  Object.entries(all).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

/** The handler and canonical name of a method, or undefined (Telegram answers 404). */
export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
  return byLowerName.get(name.toLowerCase());
}

/** Names of every emulated method. */
export const METHOD_NAMES: readonly string[] = Object.keys(all);
