import type { i18n as I18n } from "i18next";
import type { Config } from "../config.ts";
import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import { resolveLocale } from "../i18n/index.ts";
import type { RenderedMessage, Template } from "./template.ts";

export interface RenderDeps {
  db: Db;
  config: Config;
  i18n: I18n;
  templates: Record<string, Template>;
}

/** What the sender knows of a row when it renders it. */
export interface RenderableRow {
  chat_id: number;
  template: string;
  params: string;
}

export class UnknownTemplateError extends Error {
  constructor(name: string) {
    super(`unknown template: ${name}`);
    this.name = "UnknownTemplateError";
  }
}

const localeQuery = preparedFor((db: Db) =>
  db.prepare("SELECT locale, language_code FROM users WHERE id = ?"),
);

/**
 * The recipient's language now: the one they chose, else their app's, else the school's
 * default. Read at send time, so a message queued before /language follows the new choice.
 */
export function recipientLocale(db: Db, chatId: number, fallback: Locale): Locale {
  const row = localeQuery(db).get(chatId) as
    | { locale: string | null; language_code: string | null }
    | undefined;
  return resolveLocale(row?.locale, row?.language_code, fallback);
}

/**
 * Renders an outbox row into the messages to send, in the recipient's current language.
 * Null: the template says the message no longer makes sense (the row is dropped).
 */
export async function renderRow(
  deps: RenderDeps,
  row: RenderableRow,
  now: Date,
): Promise<RenderedMessage[] | null> {
  const template = deps.templates[row.template];
  if (!template) throw new UnknownTemplateError(row.template);
  const locale = recipientLocale(deps.db, row.chat_id, deps.config.defaultLocale);
  const params = JSON.parse(row.params) as Record<string, unknown>;
  const out = await template(
    {
      db: deps.db,
      config: deps.config,
      i18n: deps.i18n,
      t: deps.i18n.getFixedT(locale),
      locale,
      now,
      chatId: row.chat_id,
    },
    params,
  );
  if (out === null) return null;
  const list = Array.isArray(out) ? out : [out];
  return list.length === 0 ? null : list;
}
