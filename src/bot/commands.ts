import type { Api } from "grammy";
import type { i18n as I18n } from "i18next";
import type { Db } from "../db/connection.ts";
import { LOCALES } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { getAccount } from "../people/accounts.ts";

/** Commands everyone sees in the menu, in order. Descriptions live in common:commands.<name>. */
export const RESIDENT_COMMANDS = [
  "start",
  "courses",
  "mine",
  "volunteer",
  "myshifts",
  "certificates",
  "feedback",
  "wish",
  "language",
  "help",
  "privacy",
  "mydata",
  "forget",
  "cancel",
];

/** Shown, in addition, to staff, teachers and admins only (scope: their own chat). */
export const STAFF_COMMANDS: string[] = [
  "staff",
  "summary",
  "digest",
  "report",
  "roster",
  "attendance",
  "manage",
  "broadcast",
  "volunteers",
  "newshift",
  "shifts",
  "hours",
  "ratings",
  "orgs",
  "monthly",
  "reports",
  "grant",
  "revoke",
];

function commandList(i18n: I18n, locale: Locale, names: string[]) {
  const t = i18n.getFixedT(locale);
  return names.map((command) => ({ command, description: t(`common:commands.${command}`) }));
}

/** Registers the command menu for everyone, per language (plus a default in the school's language). */
export async function registerDefaultCommands(api: Api, i18n: I18n, defaultLocale: Locale): Promise<void> {
  for (const locale of LOCALES) {
    await api.setMyCommands(commandList(i18n, locale, RESIDENT_COMMANDS), { language_code: locale });
  }
  await api.setMyCommands(commandList(i18n, defaultLocale, RESIDENT_COMMANDS));
}

/**
 * Gives one person with a role the staff commands in their own chat, in their language, or
 * takes them away (back to the default menu) when they no longer hold a role.
 */
export async function registerChatCommands(
  api: Api,
  i18n: I18n,
  db: Db,
  userId: number,
  withStaff: boolean,
  defaultLocale: Locale,
): Promise<void> {
  const scope = { type: "chat" as const, chat_id: userId };
  if (!withStaff || STAFF_COMMANDS.length === 0) {
    await api.deleteMyCommands({ scope });
    return;
  }
  const locale = getAccount(db, userId)?.locale ?? defaultLocale;
  await api.setMyCommands(commandList(i18n, locale, [...RESIDENT_COMMANDS, ...STAFF_COMMANDS]), { scope });
}
