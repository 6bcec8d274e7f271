import { GrammyError, HttpError } from "grammy";
import { redactSecrets } from "../redact.ts";
import { TransportError } from "./transport.ts";

/** What one request to Telegram came to, as the sender acts on it. */
export type SendOutcome =
  | { kind: "sent"; messageId: number }
  | { kind: "rateLimited"; retryAfterS: number }
  /** The person blocked the bot or their account is gone: permanent. */
  | { kind: "blocked"; error: string }
  /** The person never opened the chat: the message waits until they do. */
  | { kind: "notStarted"; error: string }
  /** Telegram refused this message (bad HTML, too long...): sending it again would not help. */
  | { kind: "rejected"; error: string }
  /** Not delivered (no connection, a dead kept-alive connection, a 502 page, Telegram's 5xx): try again. */
  | { kind: "retry"; error: string }
  /** May have been delivered (timeout, connection cut after the request went out). */
  | { kind: "uncertain"; error: string };

/** Connection failures that prove the request never reached Telegram (for fetches other than ours). */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

const NOT_STARTED =
  /chat not found|can't initiate conversation|bot can't send messages to the user|user not found/i;

/**
 * Sorts an error thrown by a Bot API call into what the sender does next. Every error text that
 * comes out is redacted (an HTTP client's message names the URL, and the URL names the token).
 */
export function classifySendError(err: unknown, secrets: readonly (string | undefined)[] = []): SendOutcome {
  const clean = (s: string) => redactSecrets(s, secrets);
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const error = clean(err.description);
    if (code === 429) return { kind: "rateLimited", retryAfterS: err.parameters.retry_after ?? 1 };
    if ((code === 400 || code === 403) && NOT_STARTED.test(err.description))
      return { kind: "notStarted", error };
    // Blocked by the user, account deleted, kicked: permanent for this person.
    if (code === 403) return { kind: "blocked", error };
    // A wrong token or API root is our fault, not the message's; 5xx is Telegram's: both retried.
    if (code === 401 || code === 404 || code >= 500) return { kind: "retry", error };
    return { kind: "rejected", error };
  }
  if (err instanceof HttpError) {
    const cause = err.error;
    if (cause instanceof TransportError) {
      const error = clean(`${cause.stage}: ${cause.message}`);
      return cause.notDelivered ? { kind: "retry", error } : { kind: "uncertain", error };
    }
    const c = cause as { code?: string; type?: string; message?: string } | undefined;
    const detail = clean(`${err.message}${c?.message ? ` (${c.message})` : c?.code ? ` (${c.code})` : ""}`);
    if (c?.code && NOT_SENT_CODES.has(c.code)) return { kind: "retry", error: detail };
    // node-fetch's "invalid json response body": something answered, and it was not Telegram.
    if (c?.type === "invalid-json") return { kind: "retry", error: detail };
    return { kind: "uncertain", error: detail };
  }
  return { kind: "uncertain", error: clean(err instanceof Error ? err.message : String(err)) };
}
