/** Telegram's pace: about 30 messages a second across chats, about 1 a second per chat. */
export interface PaceOptions {
  /** Sends a second across all chats. */
  perSecond: number;
  /**
   * Sends that may go at once after a quiet spell. Kept well below Telegram's own burst
   * tolerance, so that network jitter (requests sent evenly, arriving bunched) draws no 429.
   */
  burst: number;
  /** Time one chat's allowance takes to grow by one message (about one a second per chat). */
  perChatIntervalMs: number;
  /**
   * Messages one chat may get in a quick row. The outbox sends into a chat only when its
   * allowance is full, so it keeps to one message per interval and leaves the rest of the burst
   * to the bot's replies: a reply right after a reminder does not wait. Default 3 (what Telegram,
   * and the emulator, tolerate).
   */
  perChatBurst?: number;
}

export const TELEGRAM_PACE: PaceOptions = {
  perSecond: 30,
  burst: 4,
  perChatIntervalMs: 1000,
  perChatBurst: 3,
};

/**
 * A global token bucket plus a token bucket per chat, on a monotonic clock. One Pacer is shared
 * by the outbox sender and the bot's own replies (see pace-replies.ts), so that together they
 * stay under Telegram's limits. The sender asks how long to wait instead of sleeping inside, so
 * that it can keep other chats moving meanwhile.
 */
export class Pacer {
  private tokens: number;
  private at: number;
  private pausedUntil = 0;
  /** Replies waiting for a global token: while there are any, the outbox holds back. */
  private repliesWaiting = 0;
  private readonly chats = new Map<number, { tokens: number; at: number }>();
  private readonly chatBurst: number;

  constructor(
    readonly options: PaceOptions = TELEGRAM_PACE,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = options.burst;
    this.at = now();
    this.chatBurst = Math.max(1, options.perChatBurst ?? 1);
  }

  private refill(): number {
    const t = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((t - this.at) / 1000) * this.options.perSecond);
    this.at = t;
    return t;
  }

  /** Milliseconds until a global send is allowed (0: now). */
  globalWait(): number {
    const t = this.refill();
    const pause = Math.max(0, this.pausedUntil - t);
    // The epsilon keeps float rounding from asking for a wait of 1e-13 ms forever.
    const token = this.tokens >= 1 - 1e-9 ? 0 : ((1 - this.tokens) / this.options.perSecond) * 1000;
    return Math.max(pause, token);
  }

  /** Spends a global token; call only after globalWait() returned 0. */
  take(): void {
    this.refill();
    this.tokens -= 1;
  }

  /** Waits (really) until a global send is allowed and spends the token. */
  async acquire(): Promise<void> {
    for (let wait = this.globalWait(); wait > 0; wait = this.globalWait()) await sleep(wait);
    this.take();
  }

  private chatTokens(chatId: number): number {
    const c = this.chats.get(chatId);
    if (!c) return this.chatBurst;
    return Math.min(this.chatBurst, c.tokens + (this.now() - c.at) / this.options.perChatIntervalMs);
  }

  /**
   * Milliseconds until this chat may get another message. `need` tokens must be there: the
   * outbox asks for a full allowance (the default), a reply for one.
   */
  chatWait(chatId: number, need = this.chatBurst): number {
    const missing = Math.min(need, this.chatBurst) - this.chatTokens(chatId);
    return missing <= 1e-9 ? 0 : missing * this.options.perChatIntervalMs;
  }

  /** Records a send to this chat now. */
  markChat(chatId: number): void {
    const t = this.now();
    this.chats.set(chatId, { tokens: this.chatTokens(chatId) - 1, at: t });
    // Forget chats whose allowance is full again, so a year of broadcasts does not grow the map forever.
    if (this.chats.size > 10_000) {
      for (const id of [...this.chats.keys()])
        if (this.chatTokens(id) >= this.chatBurst) this.chats.delete(id);
    }
  }

  /** Milliseconds until the outbox may spend a global token: replies waiting go first. */
  outboxWait(): number {
    const wait = this.globalWait();
    return this.repliesWaiting > 0 ? Math.max(wait, 5) : wait;
  }

  /**
   * For a reply: a person waiting for an answer is not made to wait for the outbox's pace. The
   * reply waits only while Telegram's retry_after runs, then is counted against the chat's and
   * the global allowance (which may go below zero), so that the outbox holds back until both
   * have grown again.
   */
  async acquireReply(chatId: number): Promise<void> {
    this.repliesWaiting += 1;
    try {
      for (let wait = this.pausedUntil - this.now(); wait > 0; wait = this.pausedUntil - this.now())
        await sleep(wait);
      this.refill();
      this.tokens = Math.max(-this.options.burst, this.tokens - 1);
      const c = this.chatTokens(chatId);
      this.chats.set(chatId, { tokens: Math.max(-this.chatBurst, c - 1), at: this.now() });
    } finally {
      this.repliesWaiting -= 1;
    }
  }

  /** After a 429: nobody sends until `ms` from now, and the bucket starts empty then. */
  pause(ms: number): void {
    const until = this.now() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.tokens = Math.min(this.tokens, 0);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** One message (or row) for one chat; due_at then id is the order to send in. */
export interface PacedItem {
  id: number;
  chat_id: number;
  due_at: string;
}

export interface DispatchOptions<T extends PacedItem> {
  pacer: Pacer;
  /** The next items in due order strictly after the cursor; fewer than `limit` means no more. */
  fetch(after: { due: string; id: number }, limit: number): T[];
  /** Does the work. Returns the item when it must go back to the head of its chat's queue. */
  deliver(item: T): Promise<T | undefined>;
  onError(err: unknown, item: T): void;
  stopped(): boolean;
  /** Deliveries in flight at once, across chats. */
  concurrency: number;
  batch?: number;
}

/**
 * Runs `deliver` for every item at the pacer's pace: one item at a time per chat, chats in
 * parallel, the chat whose head item is due first going first, so that one chat with a long
 * queue never holds up the others. Resolves when nothing is left and nothing is in flight.
 */
export async function dispatchPaced<T extends PacedItem>(o: DispatchOptions<T>): Promise<void> {
  const batch = o.batch ?? 500;
  const { pacer } = o;
  const queues = new Map<number, T[]>();
  const busy = new Set<number>();
  const inflight = new Set<Promise<void>>();
  let queued = 0;
  let exhausted = false;
  let cursor = { due: "", id: 0 };

  const push = (item: T, front: boolean) => {
    const q = queues.get(item.chat_id);
    if (!q) queues.set(item.chat_id, [item]);
    else if (front) q.unshift(item);
    else q.push(item);
    queued += 1;
  };
  const refill = () => {
    const items = o.fetch(cursor, batch);
    if (items.length < batch) exhausted = true;
    for (const item of items) {
      push(item, false);
      cursor = { due: item.due_at, id: item.id };
    }
  };
  const before = (a: T, b: T) => a.due_at < b.due_at || (a.due_at === b.due_at && a.id < b.id);
  /** A free chat ready now with the earliest head, else the free chat ready soonest. */
  const pick = (): { chat: number; wait: number } | undefined => {
    let best: { chat: number; wait: number; head: T } | undefined;
    for (const [chat, q] of queues) {
      const head = q[0];
      if (!head || busy.has(chat)) continue;
      const wait = pacer.chatWait(chat);
      const better =
        !best ||
        (wait === 0 && best.wait > 0) ||
        ((wait === 0) === (best.wait === 0) && (wait > 0 ? wait < best.wait : before(head, best.head)));
      if (better) best = { chat, wait, head };
    }
    return best;
  };
  const settle = () => (inflight.size > 0 ? Promise.race(inflight) : Promise.resolve());

  while (!o.stopped()) {
    if (queued < batch / 2 && !exhausted) refill();
    const next = pick();
    if (!next) {
      if (inflight.size === 0 && queued === 0) break;
      await settle();
      continue;
    }
    if (inflight.size >= o.concurrency) {
      await settle();
      continue;
    }
    const wait = Math.max(next.wait, pacer.outboxWait());
    if (wait > 0) {
      // With nothing in flight, settle() is already resolved: waiting on it alone would spin
      // without ever letting a timer (a reply waiting its turn) run.
      await (inflight.size > 0 ? Promise.race([settle(), sleep(wait)]) : sleep(wait));
      continue;
    }
    pacer.take();
    const q = queues.get(next.chat) as T[];
    const item = q.shift() as T;
    queued -= 1;
    if (q.length === 0) queues.delete(next.chat);
    busy.add(next.chat);
    const task: Promise<void> = o
      .deliver(item)
      .then((back) => {
        if (back) push(back, true);
      })
      .catch((err: unknown) => o.onError(err, item))
      .finally(() => {
        busy.delete(next.chat);
        inflight.delete(task);
      });
    inflight.add(task);
  }
  await Promise.all(inflight);
}
