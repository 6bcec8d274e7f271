import type { MiddlewareFn } from "grammy";
import type { UpdateObserver } from "../context.ts";

/** The update's kind: message, callback_query, my_chat_member … */
export function updateType(update: object): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
}

/** Times every update, around everything else (installed first). */
export function observeUpdates(observer: UpdateObserver): MiddlewareFn {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      observer.handled(updateType(ctx.update), (performance.now() - started) / 1000);
    }
  };
}
