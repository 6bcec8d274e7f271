/** A token bucket: `capacity` tokens, refilled at `refillPerSecond`. */
export interface BucketConfig {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Rate-limit settings. Defaults model Telegram's published limits: about one
 * message a second per chat (with a small burst tolerated) and about 30 a
 * second overall.
 */
export interface RateLimitOptions {
  /** Off → never answers 429 (fast tests). Default true. */
  enabled?: boolean;
  /** Default { capacity: 3, refillPerSecond: 1 }. */
  perChat?: BucketConfig;
  /** Default { capacity: 30, refillPerSecond: 30 }. */
  global?: BucketConfig;
  /**
   * Methods that spend tokens. Default: the sending methods (sendMessage,
   * sendPhoto, sendDocument). Edits and deletes are not counted by default:
   * Telegram limits them separately and far more loosely.
   */
  methods?: string[];
}

export const DEFAULT_RATE_LIMITED_METHODS = ["sendMessage", "sendPhoto", "sendDocument"];

interface Bucket {
  tokens: number;
  at: number;
}

/** Per-chat and global token buckets on an injectable clock. */
export class RateLimiter {
  enabled: boolean;
  readonly perChat: BucketConfig;
  readonly global: BucketConfig;
  readonly methods: Set<string>;
  private readonly chats = new Map<number, Bucket>();
  private globalBucket: Bucket;
  private readonly now: () => number;

  constructor(options: RateLimitOptions | false | undefined, now: () => number) {
    const o = options === false ? { enabled: false } : (options ?? {});
    this.enabled = o.enabled ?? true;
    this.perChat = o.perChat ?? { capacity: 3, refillPerSecond: 1 };
    this.global = o.global ?? { capacity: 30, refillPerSecond: 30 };
    this.methods = new Set(o.methods ?? DEFAULT_RATE_LIMITED_METHODS);
    this.now = now;
    this.globalBucket = { tokens: this.global.capacity, at: now() };
  }

  /** Whether `method` spends tokens. */
  counts(method: string): boolean {
    return this.enabled && this.methods.has(method);
  }

  private refill(bucket: Bucket, config: BucketConfig, now: number): void {
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(config.capacity, bucket.tokens + elapsed * config.refillPerSecond);
    bucket.at = now;
  }

  private wait(bucket: Bucket, config: BucketConfig): number {
    return bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / config.refillPerSecond));
  }

  /**
   * Spends one token from the chat's bucket and the global one. Returns 0 on
   * success, or the whole seconds to wait (>= 1) without spending anything.
   */
  take(chatId: number): number {
    if (!this.enabled) return 0;
    const now = this.now();
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { tokens: this.perChat.capacity, at: now };
      this.chats.set(chatId, chat);
    }
    this.refill(chat, this.perChat, now);
    this.refill(this.globalBucket, this.global, now);
    const retryAfter = Math.max(this.wait(chat, this.perChat), this.wait(this.globalBucket, this.global));
    if (retryAfter > 0) return retryAfter;
    chat.tokens -= 1;
    this.globalBucket.tokens -= 1;
    return 0;
  }

  /** Refills every bucket (between tests). */
  reset(): void {
    this.chats.clear();
    this.globalBucket = { tokens: this.global.capacity, at: this.now() };
  }
}
