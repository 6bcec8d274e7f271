import type { MiddlewareFn } from "grammy";
import type { Db } from "../../db/connection.ts";
import type { Clock } from "../../clock.ts";

/**
 * Telegram delivers at least once: after a crash the same update can come again. An update
 * id seen before is dropped here, before it can enroll anyone twice.
 */
export function dedupeUpdates(db: Db, clock: Clock): MiddlewareFn {
  const mark = db.prepare(
    "INSERT INTO processed_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
  );
  return async (ctx, next) => {
    if (mark.run(ctx.update.update_id, clock.now().toISOString()).changes === 0) return;
    await next();
  };
}
