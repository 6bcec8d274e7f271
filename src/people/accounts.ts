import { preparedFor } from "../db/connection.ts";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";

export interface TelegramPerson {
  id: number;
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
  language_code?: string | undefined;
}

export interface Account {
  id: number;
  firstName: string;
  username: string | null;
  languageCode: string | null;
  locale: Locale | null;
  phone: string | null;
  newsOptIn: boolean;
  unreachable: boolean;
  createdAt: string;
  isNew: boolean;
}

interface AccountRow {
  id: number;
  first_name: string;
  username: string | null;
  language_code: string | null;
  locale: Locale | null;
  phone: string | null;
  news_opt_in: number;
  unreachable_at: string | null;
  created_at: string;
}

const stmts = preparedFor((db: Db) => ({
  upsert: db.prepare<[number, string, string | null, string | null, string | null, string, string]>(
    `INSERT INTO users (id, first_name, last_name, username, language_code, created_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
         username = excluded.username, language_code = excluded.language_code,
         last_seen_at = excluded.last_seen_at, unreachable_at = NULL
       RETURNING id, first_name, username, language_code, locale, phone, news_opt_in, unreachable_at, created_at`,
  ),
  selfPerson: db.prepare<[number, string, string]>(
    `INSERT INTO people (account_id, is_self, name, relation, created_at) VALUES (?, 1, ?, 'self', ?)
       ON CONFLICT (account_id) WHERE is_self = 1 DO NOTHING`,
  ),
  get: db.prepare<[number], AccountRow & { last_name: string | null; last_seen_at: string | null }>(
    `SELECT id, first_name, last_name, username, language_code, locale, phone, news_opt_in, unreachable_at,
       created_at, last_seen_at FROM users WHERE id = ?`,
  ),
  setLocale: db.prepare<[Locale, number]>("UPDATE users SET locale = ? WHERE id = ?"),
}));

/** last_seen_at is kept to within this much; finer would cost a write on every update. */
const SEEN_RESOLUTION_MS = 10 * 60_000;

const toAccount = (row: AccountRow, isNew: boolean): Account => ({
  id: row.id,
  firstName: row.first_name,
  username: row.username,
  languageCode: row.language_code,
  locale: row.locale,
  phone: row.phone,
  newsOptIn: row.news_opt_in === 1,
  unreachable: row.unreachable_at !== null,
  createdAt: row.created_at,
  isNew,
});

/**
 * The account as it stands when this person writes at `now`, and whether recording that needs a
 * write (someone new, a changed name or language, last seen too long ago, marked unreachable).
 * Writes nothing: a caller may fold the write into a transaction of its own with touchAccount.
 */
export function seeAccount(
  db: Db,
  from: TelegramPerson,
  now: Date,
): { account: Account; needsWrite: boolean } {
  const firstName = cleanName(from.first_name);
  const lastName = from.last_name ? cleanName(from.last_name) : null;
  const known = stmts(db).get.get(from.id);
  // Most updates come from someone seen a moment ago with the same name: then nothing is
  // written, which spares every such update a commit.
  const unchanged =
    known !== undefined &&
    known.first_name === firstName &&
    known.last_name === lastName &&
    known.username === (from.username ?? null) &&
    known.language_code === (from.language_code ?? null) &&
    known.unreachable_at === null &&
    known.last_seen_at !== null &&
    now.getTime() - Date.parse(known.last_seen_at) < SEEN_RESOLUTION_MS;
  if (known && unchanged) return { account: toAccount(known, false), needsWrite: false };
  // What touchAccount's upsert will return, so that the answer reads the same before the write.
  const row: AccountRow = {
    id: from.id,
    first_name: firstName,
    username: from.username ?? null,
    language_code: from.language_code ?? null,
    locale: known?.locale ?? null,
    phone: known?.phone ?? null,
    news_opt_in: known?.news_opt_in ?? 0,
    unreachable_at: null,
    created_at: known?.created_at ?? now.toISOString(),
  };
  return { account: toAccount(row, known === undefined), needsWrite: true };
}

/**
 * Records that this Telegram user is here now (name and language may have changed) and makes
 * sure they have their own participant row. A user who writes to the bot is reachable again.
 * Inside a caller's transaction it becomes part of that commit.
 */
export function touchAccount(db: Db, from: TelegramPerson, now: Date): Account {
  const seen = seeAccount(db, from, now);
  return seen.needsWrite ? recordContact(db, from, now, seen.account.isNew) : seen.account;
}

/**
 * touchAccount's write, for a caller that has just seen (seeAccount) that one is needed: the
 * account is not read again. `isNew` is what seeAccount said; the write is the same either way.
 */
export function recordContact(db: Db, from: TelegramPerson, now: Date, isNew: boolean): Account {
  const s = stmts(db);
  const at = now.toISOString();
  return db.transaction(() => {
    const row = s.upsert.get(
      from.id,
      cleanName(from.first_name),
      from.last_name ? cleanName(from.last_name) : null,
      from.username ?? null,
      from.language_code ?? null,
      at,
      at,
    ) as AccountRow;
    s.selfPerson.run(from.id, cleanName(`${from.first_name} ${from.last_name ?? ""}`) || String(from.id), at);
    return toAccount(row, isNew);
  })();
}

/** The stored account, or undefined for someone who never wrote to the bot. */
export function getAccount(db: Db, id: number): Account | undefined {
  const row = stmts(db).get.get(id);
  return row ? toAccount(row, false) : undefined;
}

/** Remembers the language a person chose with /language. */
export function setLocale(db: Db, id: number, locale: Locale): void {
  stmts(db).setLocale.run(locale, id);
}

// Control characters are exactly what this removes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: deliberate
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A name as typed by a person, made safe to store and show: NFC, no control, zero-width or
 * direction-override characters, white space folded, at most `max` characters (by grapheme).
 */
export function cleanName(input: string, max = 64): string {
  // Line breaks and tabs become spaces first, so that they still separate words.
  const folded = input
    .normalize("NFC")
    .replace(/[\t\n\r\v\f]/g, " ")
    .replace(INVISIBLE, "")
    .replace(/\s+/g, " ")
    .trim();
  return Array.from(folded).slice(0, max).join("");
}
