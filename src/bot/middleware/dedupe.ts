import type { MiddlewareFn } from "grammy";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";

/**
 * Telegram delivers at least once: after a restart the same update can come again. An update
 * handled before is dropped here. It is marked only once handled, so that one interrupted by a
 * crash is handled again when Telegram resends it (the handlers are idempotent: enrolments and
 * outbox keys are unique) instead of being lost with the form it was filling in.
 */
export function dedupeUpdates(db: Db, clock: Clock): MiddlewareFn {
  const seen = db.prepare("SELECT 1 FROM processed_updates WHERE update_id = ?");
  const mark = db.prepare("INSERT INTO processed_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING");
  return async (ctx, next) => {
    if (seen.get(ctx.update.update_id) !== undefined) return;
    await next();
    mark.run(ctx.update.update_id, clock.now().toISOString());
  };
}
