/**
 * How shifts and volunteers read in messages (text helpers taking t; no grammY); shared by the
 * volunteer screens so both say the same thing the same way.
 */
import type { TFunction } from "i18next";
import { DAY_SLOTS, WEEKDAYS } from "../catalog/codes.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import { formatDateTime, formatTime } from "../i18n/format.ts";
import type { Locale } from "../i18n/index.ts";
import { escapeHtml } from "../telegram-html.ts";
import { localDate } from "../time.ts";
import { hasBit } from "../volunteers/availability.ts";
import type { Shift } from "../volunteers/shifts-store.ts";
import { skillList } from "../volunteers/skills.ts";
import type { Volunteer } from "../volunteers/volunteers.ts";
import { pick } from "../i18n/bilingual.ts";

export function shiftTitle(shift: Pick<Shift, "titleZh" | "titleEn">, locale: Locale): string {
  return pick({ zh: shift.titleZh, en: shift.titleEn }, locale);
}

/** "3月2日周一 09:00–12:00" in the school's time zone. */
export function shiftWhen(shift: Pick<Shift, "startsAt" | "endsAt">, locale: Locale, tz: string): string {
  const sameDay = localDate(new Date(shift.startsAt), tz) === localDate(new Date(shift.endsAt), tz);
  const end = sameDay ? formatTime(shift.endsAt, locale, tz) : formatDateTime(shift.endsAt, locale, tz);
  return `${formatDateTime(shift.startsAt, locale, tz)}–${end}`;
}

/** Site and venue names, "景泰社区学校 · 大厅". */
export function shiftPlace(db: Db, shift: Pick<Shift, "siteId" | "venueId">, locale: Locale): string {
  const col = locale === "zh" ? "name_zh" : "name_en";
  const site = db.prepare(`SELECT ${col} FROM sites WHERE id = ?`).pluck().get(shift.siteId) as
    | string
    | undefined;
  const venue = shift.venueId
    ? (db.prepare(`SELECT ${col} FROM venues WHERE id = ?`).pluck().get(shift.venueId) as string | undefined)
    : undefined;
  return [site, venue].filter(Boolean).join(" · ");
}

/** The multi-line card of a shift (HTML, escaped). */
export function shiftCard(
  db: Db,
  config: Pick<Config, "catalogPath" | "timezone">,
  t: TFunction,
  locale: Locale,
  shift: Shift,
): string {
  const tz = config.timezone;
  const lines = [
    `<b>${escapeHtml(shiftTitle(shift, locale))}</b>`,
    `🕘 ${escapeHtml(shiftWhen(shift, locale, tz))}`,
    `📍 ${escapeHtml(shiftPlace(db, shift, locale))}`,
  ];
  if (shift.skills.length > 0)
    lines.push(
      t("volunteer:shift.skills", {
        skills: shift.skills.map((s) => skillLabel(config, locale, s)).join("、"),
      }),
    );
  return lines.join("\n");
}

/** A skill's label from data/skills.yaml, or its code when the list does not know it. */
export function skillLabel(config: Pick<Config, "catalogPath">, locale: Locale, code: string): string {
  const skill = skillList(config).find((s) => s.code === code);
  return skill ? skill[locale] : code;
}

/** "周一上午、周六下午" — the cells of an availability grid. */
export function availabilityText(t: TFunction, mask: number): string {
  const cells: string[] = [];
  WEEKDAYS.forEach((day, d) => {
    DAY_SLOTS.forEach((slot, s) => {
      if (hasBit(mask, d * 3 + s))
        cells.push(
          t("volunteer:slotCell", { day: t(`codes:weekday.${day}`), slot: t(`codes:slot.${slot}`) }),
        );
    });
  });
  return cells.length ? cells.join(t("common:listSep")) : t("volunteer:none");
}

/** The staff's view of one volunteer (HTML, escaped). */
export function volunteerCard(
  config: Pick<Config, "catalogPath">,
  t: TFunction,
  locale: Locale,
  v: Volunteer,
): string {
  const skills = [
    ...v.skills.map((s) => skillLabel(config, locale, s)),
    ...(v.skillsNote ? [v.skillsNote] : []),
  ];
  return [
    `<b>${escapeHtml(v.name)}</b> · ${t(`volunteer:status.${v.status}`)}`,
    `📞 ${escapeHtml(v.phone ?? "—")}`,
    t("volunteer:card.skills", { skills: skills.join(t("common:listSep")) || t("volunteer:none") }),
    t("volunteer:card.availability", { slots: availabilityText(t, v.availability) }),
    t("volunteer:card.languages", {
      langs:
        v.languages.map((l) => t(`volunteer:lang.${l}`)).join(t("common:listSep")) || t("volunteer:none"),
    }),
  ].join("\n");
}
