import type { TgErrorBody } from "./types.ts";

/**
 * Thrown by method handlers; the server turns it into Telegram's error body
 * with the HTTP status equal to `error_code`, as the real Bot API does.
 */
export class ApiError extends Error {
  readonly errorCode: number;
  readonly description: string;
  readonly retryAfter: number | undefined;

  constructor(errorCode: number, description: string, retryAfter?: number) {
    super(description);
    this.name = "ApiError";
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfter = retryAfter;
  }

  /** Telegram's JSON error body for this error. */
  toBody(): TgErrorBody {
    const body: TgErrorBody = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.retryAfter !== undefined) body.parameters = { retry_after: this.retryAfter };
    return body;
  }
}

/** 400 with Telegram's "Bad Request: " prefix. */
export function badRequest(detail: string): ApiError {
  return new ApiError(400, `Bad Request: ${detail}`);
}

/** 403 with Telegram's "Forbidden: " prefix. */
export function forbidden(detail: string): ApiError {
  return new ApiError(403, `Forbidden: ${detail}`);
}

/** 429 exactly as Telegram words it, with `parameters.retry_after`. */
export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
}

/** Telegram's answer to an unknown method or path. */
export function notFound(): ApiError {
  return new ApiError(404, "Not Found");
}

/** Telegram's answer to a wrong token. */
export function unauthorized(): ApiError {
  return new ApiError(401, "Unauthorized");
}

export const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message";

export const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";
