import type { Api } from "grammy";
import type { LanguageCode } from "grammy/types";
import type { i18n as I18n } from "i18next";
import type { Locale } from "../i18n/index.ts";
import { LOCALES } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";

/** Telegram's limits on what a person sees before pressing Start. */
export const PROFILE_LIMITS = { name: 64, description: 512, short: 120 } as const;

export interface ProfileChange {
  field: "name" | "description" | "short";
  languageCode: string;
}

/**
 * Sets the bot's name, description and short description in every language (and the school's
 * language as the default for everyone else) from locales/*\/publicity.json. Each is read first
 * and written only when it differs: the setters are rate-limited and run at every start.
 * Never throws; returns what it changed.
 */
export async function syncBotProfile(
  api: Api,
  i18n: I18n,
  defaultLocale: Locale,
  logger: Logger,
): Promise<ProfileChange[]> {
  const changes: ProfileChange[] = [];
  const targets: Array<{ languageCode: string; locale: Locale }> = [
    ...LOCALES.map((locale) => ({ languageCode: locale as string, locale })),
    { languageCode: "", locale: defaultLocale },
  ];
  for (const { languageCode, locale } of targets) {
    const t = i18n.getFixedT(locale);
    const want = (key: string, max: number) =>
      Array.from(t(`publicity:profile.${key}`))
        .slice(0, max)
        .join("");
    const lang = languageCode ? { language_code: languageCode as LanguageCode } : {};
    try {
      const name = want("name", PROFILE_LIMITS.name);
      if ((await api.getMyName(lang)).name !== name) {
        await api.setMyName(name, lang);
        changes.push({ field: "name", languageCode });
      }
      const description = want("description", PROFILE_LIMITS.description);
      if ((await api.getMyDescription(lang)).description !== description) {
        await api.setMyDescription(description, lang);
        changes.push({ field: "description", languageCode });
      }
      const short = want("short", PROFILE_LIMITS.short);
      if ((await api.getMyShortDescription(lang)).short_description !== short) {
        await api.setMyShortDescription(short, lang);
        changes.push({ field: "short", languageCode });
      }
    } catch (err) {
      // A rate limit on the setters (429 for hours) must not keep the bot from starting.
      logger.warn({ err, languageCode }, "could not update the bot's profile");
    }
  }
  if (changes.length > 0) logger.info({ changes }, "bot profile updated");
  return changes;
}
