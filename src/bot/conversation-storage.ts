import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { Db } from "../db/connection.ts";
import type { Clock } from "../clock.ts";

/**
 * Keeps conversation state in SQLite (one row per chat), so that a restart in the middle of a
 * form continues where the person was. Bump CONVERSATION_VERSION when a conversation changes
 * shape: older states are then dropped instead of replayed against new code.
 */
export const CONVERSATION_VERSION = 1;

export function sqliteConversationStorage(db: Db, clock: Clock) {
  const read = db.prepare<[string], { value: string }>("SELECT value FROM conversation_state WHERE key = ?");
  const write = db.prepare(
    `INSERT INTO conversation_state (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare("DELETE FROM conversation_state WHERE key = ?");
  return {
    type: "key" as const,
    version: CONVERSATION_VERSION,
    adapter: {
      read(key: string): VersionedState<ConversationData> | undefined {
        const row = read.get(key);
        return row ? (JSON.parse(row.value) as VersionedState<ConversationData>) : undefined;
      },
      write(key: string, state: VersionedState<ConversationData>): void {
        write.run(key, JSON.stringify(state), clock.now().toISOString());
      },
      delete(key: string): void {
        remove.run(key);
      },
    },
  };
}
