import type { MiddlewareFn } from "grammy";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";

/** Handled updates not yet written down, per database. */
const pending = new WeakMap<Db, { ids: Set<number>; write: () => void; timer?: NodeJS.Timeout }>();

/** Marks are written in batches: one commit for many updates instead of one each. */
const BATCH = 200;
const BATCH_MS = 500;

/**
 * Telegram delivers at least once: after a restart the same update can come again. An update
 * handled before is dropped here. It is marked only once handled, so that one interrupted by a
 * crash is handled again when Telegram resends it (the handlers are idempotent: enrolments and
 * outbox keys are unique) instead of being lost with the form it was filling in. Marks are
 * kept in memory for at most half a second and then written together; a crash in that moment
 * only means those updates may be handled again, which they can bear.
 */
export function dedupeUpdates(db: Db, clock: Clock): MiddlewareFn {
  const seen = db.prepare("SELECT 1 FROM processed_updates WHERE update_id = ?");
  const mark = db.prepare(
    "INSERT INTO processed_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
  );
  const state = {
    ids: new Set<number>(),
    write() {
      clearTimeout(state.timer);
      state.timer = undefined;
      if (state.ids.size === 0 || !db.open) return;
      const at = clock.now().toISOString();
      db.transaction(() => {
        for (const id of state.ids) mark.run(id, at);
      })();
      state.ids.clear();
    },
    timer: undefined as NodeJS.Timeout | undefined,
  };
  pending.set(db, state);
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    if (state.ids.has(id) || seen.get(id) !== undefined) return;
    await next();
    state.ids.add(id);
    if (state.ids.size >= BATCH) state.write();
    else if (!state.timer) {
      state.timer = setTimeout(() => state.write(), BATCH_MS);
      state.timer.unref();
    }
  };
}

/** Writes down the updates handled so far; call before closing the database. */
export function flushHandledUpdates(db: Db): void {
  pending.get(db)?.write();
}
