/**
 * The ☰ command menus, one per kind of person, in Chinese and English, built with
 * @grammyjs/commands. Residents get the default menu (per language); volunteers, teachers, staff
 * and admins get their own in their chat (Telegram prefers a chat-scoped menu over the default),
 * in the language they chose in the bot. A person who never opened the chat cannot get a
 * chat-scoped menu ("chat not found"): that person is skipped and the rest still get theirs.
 */
import { CommandGroup } from "@grammyjs/commands";
import type { Api, Context, MiddlewareFn } from "grammy";
import type { i18n as I18n } from "i18next";
import type { Db } from "../db/connection.ts";
import type { BotContext } from "./context.ts";
import { LOCALES } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { getAccount } from "../people/accounts.ts";
import { peopleWithRolesOrVolunteering } from "../people/recipients.ts";
import { rolesOf } from "../people/roles.ts";
import { getVolunteer } from "../volunteers/volunteers.ts";

export type MenuKind = "resident" | "volunteer" | "teacher" | "staff" | "admin";

/** Commands everyone sees in the menu, in order. Descriptions live in common:commands.<name>. */
export const RESIDENT_COMMANDS = [
  "start",
  "courses",
  "mine",
  "volunteer",
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

const VOLUNTEER_EXTRA = ["myshifts"];
const TEACHER_EXTRA = ["staff", "roster", "attendance"];
const STAFF_EXTRA = [
  "staff",
  "summary",
  "digest",
  "report",
  "roster",
  "attendance",
  "manage",
  "broadcast",
  "poster",
  "volunteers",
  "newshift",
  "shifts",
  "hours",
  "ratings",
  "orgs",
  "monthly",
  "reports",
];
const ADMIN_EXTRA = ["review", "selection", "grant", "revoke"];

/** The commands of one menu, in menu order: the person's own work first, then the resident's. */
export function menuCommandNames(kind: MenuKind, volunteer = false): string[] {
  const own =
    kind === "admin"
      ? [...STAFF_EXTRA, ...ADMIN_EXTRA]
      : kind === "staff"
        ? STAFF_EXTRA
        : kind === "teacher"
          ? TEACHER_EXTRA
          : [];
  const shifts = volunteer || kind === "volunteer" ? VOLUNTEER_EXTRA : [];
  return [...own, ...RESIDENT_COMMANDS, ...shifts];
}

/** One command group of a menu, each command described in the default language and localized. */
export function menuGroup(i18n: I18n, names: string[], defaultLocale: Locale): CommandGroup<Context> {
  const group = new CommandGroup<Context>();
  for (const name of names) {
    const command = group.command(name, i18n.getFixedT(defaultLocale)(`common:commands.${name}`));
    for (const locale of LOCALES)
      command.localize(locale, name, i18n.getFixedT(locale)(`common:commands.${name}`));
  }
  return group;
}

/** The menu list of a group in one language, as setMyCommands takes it. */
function listIn(group: CommandGroup<Context>, locale: Locale): { command: string; description: string }[] {
  const { scopes, uncompliantCommands } = group.toArgs();
  if (uncompliantCommands.length > 0)
    throw new Error(`commands Telegram would refuse: ${uncompliantCommands.map((c) => c.name).join(", ")}`);
  const entry = scopes.find((s) => s.language_code === locale) ?? scopes[0];
  return (entry?.commands ?? []).map(({ command, description }) => ({ command, description }));
}

/** Which menu a person gets now, read from the database (roles, an approved volunteer record). */
export function menuKindOf(db: Db, userId: number): { kind: MenuKind; volunteer: boolean } {
  const roles = new Set(rolesOf(db, userId).map((r) => r.role));
  const volunteer = getVolunteer(db, userId)?.status === "approved";
  const kind: MenuKind = roles.has("admin")
    ? "admin"
    : roles.has("staff")
      ? "staff"
      : roles.has("teacher")
        ? "teacher"
        : volunteer
          ? "volunteer"
          : "resident";
  return { kind, volunteer };
}

/** Registers the residents' menu for everyone, per language, plus a default in the school's language. */
export async function registerDefaultCommands(api: Api, i18n: I18n, defaultLocale: Locale): Promise<void> {
  await menuGroup(i18n, RESIDENT_COMMANDS, defaultLocale).setCommands({ api });
}

/**
 * Gives one person the menu of what they are now, in their chat and language; a resident's chat
 * menu is removed so that the default one shows. Throws what Telegram answers (the callers
 * decide whether one failure matters).
 */
export async function refreshMenu(
  api: Api,
  i18n: I18n,
  db: Db,
  userId: number,
  defaultLocale: Locale,
): Promise<MenuKind> {
  const scope = { type: "chat" as const, chat_id: userId };
  const { kind, volunteer } = menuKindOf(db, userId);
  if (kind === "resident") {
    await api.deleteMyCommands({ scope });
    return kind;
  }
  const locale = getAccount(db, userId)?.locale ?? defaultLocale;
  const group = menuGroup(i18n, menuCommandNames(kind, volunteer), defaultLocale);
  await api.setMyCommands(listIn(group, locale), { scope });
  return kind;
}

/** Everyone whose menu is not the default one: people with a role and approved volunteers. */
export function peopleWithOwnMenu(db: Db): number[] {
  return peopleWithRolesOrVolunteering(db);
}

/**
 * At start-up: the default menus, then each person's own. A person Telegram refuses (never
 * opened the chat, blocked the bot) is reported and skipped; the others still get theirs.
 */
export async function registerAllMenus(
  api: Api,
  i18n: I18n,
  db: Db,
  defaultLocale: Locale,
  onFailure: (userId: number | undefined, err: unknown) => void,
): Promise<{ set: number; failed: number }> {
  let set = 0;
  let failed = 0;
  try {
    await registerDefaultCommands(api, i18n, defaultLocale);
  } catch (err) {
    onFailure(undefined, err);
  }
  for (const userId of peopleWithOwnMenu(db)) {
    try {
      await refreshMenu(api, i18n, db, userId, defaultLocale);
      set++;
    } catch (err) {
      failed++;
      onFailure(userId, err);
    }
  }
  return { set, failed };
}

/**
 * After /start from someone with their own menu: a staff member named in ADMIN_IDS opens the
 * chat for the first time (start-up could not give them a menu then), or a menu went missing.
 */
export function menuOnStart(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    await next();
    const text = ctx.message?.text;
    if (ctx.chat?.type !== "private" || !ctx.account || !text || !/^\/start(@\w+)?(\s|$)/.test(text)) return;
    const { db, i18n, config } = ctx.deps;
    if (menuKindOf(db, ctx.account.id).kind === "resident") return;
    await refreshMenu(ctx.api, i18n, db, ctx.account.id, config.defaultLocale).catch((err: unknown) =>
      ctx.log.warn({ err }, "could not set the command menu"),
    );
  };
}
