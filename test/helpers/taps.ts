import type { DriverUser } from "../../src/sandbox/driver.ts";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";

/** The text of a message's inline buttons, row after row. */
export const buttonLabels = (m: StoredMessage | undefined): string[] =>
  (m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : [])
    .flat()
    .map((b) => b.text);

/** Counts what a person does (a typed message, a button, a menu key); /start is where counting starts. */
export function tapCounter(user: DriverUser) {
  let taps = 0;
  return {
    get taps() {
      return taps;
    },
    send(text: string) {
      taps++;
      return user.send(text);
    },
    press(label: string | RegExp) {
      taps++;
      return user.press(label);
    },
    pressReply(label: string | RegExp) {
      taps++;
      return user.pressReply(label);
    },
  };
}
