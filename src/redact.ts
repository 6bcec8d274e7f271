/**
 * Anything shaped like a Telegram bot token (`<bot id>:<secret>`), alone or inside a Bot API URL.
 * The secret part is 30+ characters in real tokens; the URL form catches shorter test tokens.
 */
const TOKEN_SHAPED = /\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g;
const IN_URL = /\/bot[^/\s"'?#]+/g;

export const REDACTED = "<redacted>";

/**
 * Removes secrets from text before it goes to a log line, the database or the terminal: every
 * exact `secrets` value, every Bot API path segment (`/bot<token>`), and every token-shaped string.
 * Use it on any error text that may have passed through an HTTP client: those name the request
 * URL, and the URL names the token.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join(REDACTED);
  return out.replace(IN_URL, `/bot${REDACTED}`).replace(TOKEN_SHAPED, REDACTED);
}

/** An error's message (and its cause's code), redacted: what may be stored or printed of it. */
export function redactedError(err: unknown, secrets: readonly (string | undefined)[] = []): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(message, secrets);
}
