import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { i18n as I18n, TFunction } from "i18next";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import type { Account, TelegramPerson } from "../people/accounts.ts";

/** What createBot needs; tests pass an in-memory database and a manual clock. */
export interface BotDeps {
  config: Config;
  db: Db;
  logger: Logger;
  i18n: I18n;
  clock: Clock;
  /** Told about every update handled or failed (health and metrics); absent in tests. */
  observer?: UpdateObserver;
}

export interface UpdateObserver {
  handled(type: string, seconds: number): void;
  failed(kind: "telegram" | "network" | "internal"): void;
}

/** Our additions to every context, inside conversations too. */
export interface LifelongFlavor {
  deps: BotDeps;
  log: Logger;
  /** The person writing, recorded on every update; undefined only for updates without a sender. */
  account: Account | undefined;
  /**
   * Set while the account write of this update is still to be made: a confirm press makes it
   * inside its own transaction (one commit per press) and clears this; otherwise it is made
   * once the update is handled.
   */
  pendingContact: TelegramPerson | undefined;
  locale: Locale;
  t: TFunction;
  /** Switches ctx.t to another language for the rest of this update. */
  setLocale(locale: Locale): void;
}

/** The context inside conversations (no ConversationFlavor there, as the plugin requires). */
export type ConvContext = Context & LifelongFlavor;

/** The context of every outside handler. */
export type BotContext = ConversationFlavor<ConvContext>;

/** The conversation handle every conversation builder receives. */
export type LifelongConversation = Conversation<BotContext, ConvContext>;
