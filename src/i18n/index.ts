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

const translators = new WeakMap<I18n, Map<Locale, TFunction>>();

/**
 * `i18n.getFixedT(locale)`, made once per language and cheaper per call. i18next's own fixed T
 * copies every instance option into a new object on each call (most of a translation's cost);
 * this one hands the language to `i18n.t` directly. A key alone (a button label, a heading)
 * always gives the same text, since the resources are loaded once at start, so it is
 * translated once per language and kept. Any other form of call goes to i18next's fixed T.
 */
export function translator(i18n: I18n, locale: Locale): TFunction {
  let byLocale = translators.get(i18n);
  if (!byLocale) {
    byLocale = new Map();
    translators.set(i18n, byLocale);
  }
  let t = byLocale.get(locale);
  if (!t) {
    t = makeTranslator(i18n, locale);
    byLocale.set(locale, t);
  }
  return t;
}

function makeTranslator(i18n: I18n, locale: Locale): TFunction {
  const fixed = i18n.getFixedT(locale);
  const plain = new Map<string, string>();
  const t = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    if (typeof key === "string" && rest.length === 0) {
      if (options === undefined) {
        let text = plain.get(key);
        if (text === undefined) {
          text = String(fixed(key));
          plain.set(key, text);
        }
        return text;
      }
      if (typeof options === "object" && options !== null && !Array.isArray(options))
        return i18n.t(key, { ...(options as object), lng: locale });
    }
    return (fixed as unknown as (...args: unknown[]) => unknown)(key, options, ...rest);
  };
  return t as unknown as TFunction;
}
