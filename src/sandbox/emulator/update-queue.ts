import { ApiError } from "./errors.ts";
import type { TgUpdate } from "./types.ts";

interface Waiter {
  wake(): void;
  conflict(): void;
}

type NewUpdate = Omit<TgUpdate, "update_id">;

/**
 * Telegram's pending-update queue: updates stay until confirmed by a
 * getUpdates offset above their id, and one long poll at a time may wait.
 */
export class UpdateQueue {
  private pending: TgUpdate[] = [];
  private nextId: number;
  private waiter: Waiter | undefined;

  constructor(firstUpdateId = 1) {
    this.nextId = firstUpdateId;
  }

  /** Queues an update with the next update_id and wakes a waiting long poll. */
  push(update: NewUpdate): TgUpdate {
    const full: TgUpdate = { update_id: this.nextId++, ...update };
    this.pending.push(full);
    this.waiter?.wake();
    return full;
  }

  /** Updates not yet confirmed (for inspection). */
  get size(): number {
    return this.pending.length;
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      this.pending = this.pending.filter((u) => u.update_id >= offset);
    } else if (offset < 0) {
      // Negative offset: keep only the last -offset updates, forget the rest.
      this.pending = this.pending.slice(offset);
    }
  }

  /**
   * getUpdates semantics: confirm below `offset`, return up to `limit` at
   * once, or hold for `timeoutSeconds` until one arrives. A second concurrent
   * poll terminates the first with 409, as Telegram does.
   */
  get(options: {
    offset?: number;
    limit: number;
    timeoutSeconds: number;
    signal?: AbortSignal;
  }): Promise<TgUpdate[]> {
    if (options.offset !== undefined) this.confirm(options.offset);
    this.waiter?.conflict();
    const take = (): TgUpdate[] => this.pending.slice(0, options.limit);
    if (this.pending.length > 0 || options.timeoutSeconds <= 0) return Promise.resolve(take());
    return new Promise<TgUpdate[]>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
      };
      const waiter: Waiter = {
        wake: () => {
          finish();
          resolve(take());
        },
        conflict: () => {
          finish();
          reject(
            new ApiError(
              409,
              "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            ),
          );
        },
      };
      const onAbort = (): void => {
        finish();
        resolve([]);
      };
      const timer = setTimeout(() => waiter.wake(), options.timeoutSeconds * 1000);
      this.waiter = waiter;
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Drops every pending update and releases a waiting poll. */
  clear(): void {
    this.pending = [];
    this.release();
  }

  /** Releases a waiting long poll with an empty result (server shutdown). */
  release(): void {
    this.waiter?.wake();
  }
}
