import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromRoot } from "../paths.ts";
import i18next from "i18next";
import type { i18n as I18n, TFunction } from "i18next";

export type { TFunction };
export const LOCALES = ["zh", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export const LOCALES_DIR = fromRoot("locales");

/** Reads every `locales/<lang>/<namespace>.json`; one namespace per feature. */
export function loadResources(dir = LOCALES_DIR): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const lang of LOCALES) {
    const langDir = join(dir, lang);
    resources[lang] = {};
    for (const file of readdirSync(langDir).filter((f) => f.endsWith(".json"))) {
      resources[lang][file.slice(0, -5)] = JSON.parse(readFileSync(join(langDir, file), "utf8"));
    }
  }
  return resources;
}

/**
 * One i18next instance for the whole process. Callers never change its language (concurrent
 * updates would race); they take `getFixedT(locale)` per update or per message.
 * Interpolated values are HTML-escaped, because messages go out with parse_mode HTML.
 */
export async function createI18n(defaultLocale: Locale, dir = LOCALES_DIR): Promise<I18n> {
  const resources = loadResources(dir);
  const instance = i18next.createInstance();
  await instance.init({
    resources: resources as never,
    lng: defaultLocale,
    fallbackLng: defaultLocale === "zh" ? ["zh", "en"] : ["en", "zh"],
    supportedLngs: [...LOCALES],
    ns: Object.keys(resources.zh ?? {}),
    defaultNS: "common",
    interpolation: { escapeValue: true },
    returnNull: false,
    showSupportNotice: false,
  } as never);
  return instance;
}

/**
 * The language for a person: what they chose, else what Telegram says their app speaks
 * (any zh variant is zh), else the school's default.
 */
export function resolveLocale(
  stored: string | null | undefined,
  languageCode: string | null | undefined,
  fallback: Locale,
): Locale {
  if (stored === "zh" || stored === "en") return stored;
  const code = (languageCode ?? "").toLowerCase();
  if (code === "zh" || code.startsWith("zh-") || code.startsWith("zh_")) return "zh";
  if (code === "en" || code.startsWith("en-") || code.startsWith("en_")) return "en";
  return fallback;
}

export function isLocale(value: unknown): value is Locale {
  return value === "zh" || value === "en";
}
