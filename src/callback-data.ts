/**
 * Callback data: the short reference a button carries, `<feature>:<action>:<ids…>`. Telegram
 * refuses a button whose data is over 64 bytes (CJK is 3 bytes a character), and refuses the
 * whole message with it, so every button's data is built here and checked when it is built.
 */

/** Telegram's limit on a button's callback_data, in UTF-8 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/** Joins the parts with ":"; throws on data over 64 bytes, so a too-long one fails in tests, not in chat. */
export function cb(...parts: (string | number)[]): string {
  const data = parts.join(":");
  if (Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)
    throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

/** The parts of callback data built by cb(), when it starts with `prefix` (e.g. "rst:l"); else null. */
export function parseCb(data: string, prefix: string): string[] | null {
  if (data !== prefix && !data.startsWith(`${prefix}:`)) return null;
  return data === prefix ? [] : data.slice(prefix.length + 1).split(":");
}
