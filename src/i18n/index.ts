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
 * copies every instance option into a new object on each call, and its interpolation is a long
 * way round for "{{name}}". Since the resources are loaded once at start: a key alone (a button
 * label, a heading) is translated once per language and kept; a key whose text only has plain
 * `{{name}}` placeholders, called with exactly string or number values for them, is filled in
 * here, HTML-escaped as i18next does. Every other call (plurals, context, nesting, formats,
 * other options, missing values) goes to i18next's fixed T unchanged.
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

/** i18next's default escape for interpolated values (escapeValue: true). */
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "/": "&#x2F;",
};
const escapeValue = (value: string): string => value.replace(/[&<>"'/]/g, (c) => ENTITIES[c] ?? c);

/** Option names i18next reads itself: a placeholder so named is never filled in here. */
const OPTION_NAMES = new Set(["count", "context", "ordinal", "lng", "lngs", "ns", "replace", "defaultValue"]);

/**
 * A text with only plain placeholders as [text, name, text, name, …, text], or undefined when it
 * has anything else i18next would interpret (nesting, unescaped or formatted values, paths).
 */
function compileTemplate(text: string): string[] | undefined {
  if (text.includes("$t(")) return undefined;
  const parts: string[] = [];
  const placeholder = /\{\{([^{}]*)\}\}/g;
  let last = 0;
  for (let m = placeholder.exec(text); m; m = placeholder.exec(text)) {
    const name = (m[1] ?? "").trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || OPTION_NAMES.has(name)) return undefined;
    parts.push(text.slice(last, m.index), name);
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  if (rest.includes("{{") || parts.some((p, i) => i % 2 === 0 && p.includes("{{"))) return undefined;
  parts.push(rest);
  return parts;
}

function makeTranslator(i18n: I18n, locale: Locale): TFunction {
  const fixed = i18n.getFixedT(locale);
  const plain = new Map<string, string>();
  const templates = new Map<string, string[] | null>();
  const templateOf = (key: string): string[] | null => {
    let parts = templates.get(key);
    if (parts === undefined) {
      const raw: unknown = i18n.exists(key, { lng: locale })
        ? fixed(key, { skipInterpolation: true } as never)
        : undefined;
      parts = (typeof raw === "string" ? compileTemplate(raw) : undefined) ?? null;
      templates.set(key, parts);
    }
    return parts;
  };
  /** The text filled in here, or undefined when i18next must do it. */
  const fill = (key: string, values: Record<string, unknown>): string | undefined => {
    const parts = templateOf(key);
    if (!parts) return undefined;
    const names = Object.keys(values);
    let out = parts[0] ?? "";
    for (let i = 1; i < parts.length; i += 2) {
      const value = values[parts[i] as string];
      let text: string;
      if (typeof value === "string") text = value;
      else if (typeof value === "number") text = String(value);
      else return undefined;
      if (text.includes("{{") || text.includes("$t(")) return undefined;
      out += escapeValue(text) + (parts[i + 1] ?? "");
    }
    // Every option must be one of the placeholders: anything else is i18next's to read.
    for (const name of names) if (!parts.includes(name) || parts.indexOf(name) % 2 === 0) return undefined;
    return out;
  };
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
      if (typeof options === "object" && options !== null && !Array.isArray(options)) {
        const filled = fill(key, options as Record<string, unknown>);
        if (filled !== undefined) return filled;
        return i18n.t(key, { ...(options as object), lng: locale });
      }
    }
    return (fixed as unknown as (...args: unknown[]) => unknown)(key, options, ...rest);
  };
  return t as unknown as TFunction;
}
