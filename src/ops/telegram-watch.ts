import type { Transformer } from "grammy";

/**
 * Remembers when Telegram last answered. Installed as an API transformer on the bot, so every
 * getUpdates (and in webhook mode the periodic getWebhookInfo) counts; an update that arrives
 * counts too. A long poll still open within its timeout counts as reached now (Telegram holds
 * it open while there is nothing to say); past its timeout, or any other request still waiting,
 * counts from when it was sent. A dead server refuses at once; a hung one runs out the threshold.
 */
export class TelegramWatch {
  private lastAnswer: number | undefined;
  /** Requests in flight: since when, and until when an open one is normal (long polls). */
  private readonly pending = new Map<number, { since: number; openUntil: number }>();
  private next = 0;
  /** The last error message Telegram reported for the webhook (getWebhookInfo), if any. */
  webhookError: string | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Telegram answered now (or an update from it arrived). */
  reached(): void {
    this.lastAnswer = this.now();
  }

  /** When Telegram was last known to be reachable, in epoch ms; undefined if never. */
  lastReached(): number | undefined {
    let at = this.lastAnswer;
    const now = this.now();
    for (const p of this.pending.values()) {
      const live = now <= p.openUntil ? now : p.since;
      if (at === undefined || live > at) at = live;
    }
    return at;
  }

  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const id = this.next++;
    const since = this.now();
    const poll = method === "getUpdates" ? Number((payload as { timeout?: number }).timeout ?? 0) : 0;
    this.pending.set(id, { since, openUntil: poll > 0 ? since + (poll + 10) * 1000 : since });
    try {
      const res = await prev(method, payload, signal);
      // 401/404: the token or the API root is wrong, which is not reaching Telegram.
      if (res.ok || (res.error_code !== 401 && res.error_code !== 404)) this.reached();
      return res;
    } finally {
      this.pending.delete(id);
    }
  };
}
