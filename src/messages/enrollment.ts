import { classPlace } from "../enrollment/place.ts";
import { nextSessionAt, participantName, q } from "../enrollment/queries.ts";
import { formatDateTime } from "../i18n/format.ts";
import type { RenderContext, Template } from "../notify/template.ts";
import { cbRoute, field } from "../callback-data.ts";
import { pick } from "../i18n/bilingual.ts";
import { placeLines } from "./reminders.ts";

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : undefined;

function titleOf(rc: RenderContext, courseId: number): string | undefined {
  const c = q(rc.db).course.get(courseId);
  if (!c) return undefined;
  return pick({ zh: c.title_zh, en: c.title_en }, rc.locale);
}

/**
 * A seat offered to the first in line, with Accept / Decline buttons. Dropped (null) when the
 * offer is no longer open at send time: taken back, answered, or already past its deadline.
 */
/** Callback data of a seat offer's buttons: `off:<a accept | d decline>:<enrolmentId>`. */
export const offerRoute = cbRoute("off", field.oneOf("a", "d"), field.id);

const offer: Template = (rc, params) => {
  const id = num(params.enrolmentId);
  if (id === undefined) return null;
  const row = q(rc.db).enrolment.get(id);
  if (row?.status !== "offered" || row.account_id !== rc.chatId || !row.offer_expires_at) return null;
  if (row.offer_expires_at <= rc.now.toISOString()) return null;
  const title = titleOf(rc, row.course_id);
  if (title === undefined) return null;
  const tz = rc.config.timezone;
  const next = nextSessionAt(rc.db, row.course_id, rc.now);
  const text = rc.t("enrol:offer.text", {
    title,
    name: participantName(rc.db, id) ?? "",
    next: next ? formatDateTime(next, rc.locale, tz) : "—",
    until: formatDateTime(row.offer_expires_at, rc.locale, tz),
  });
  // The place goes under the class time (the text's second line).
  const [head = "", when = "", ...rest] = text.split("\n");
  return {
    text: [head, when, ...placeLines(rc, classPlace(rc.db, row.course_id)), ...rest].join("\n"),
    reply_markup: {
      inline_keyboard: [
        [{ text: rc.t("enrol:offer.accept"), callback_data: offerRoute.data("a", id) }],
        [{ text: rc.t("enrol:offer.decline"), callback_data: offerRoute.data("d", id) }],
      ],
    },
  };
};

/** The offer ran out and the seat went on; dropped if the person has since got back in. */
const offerExpired: Template = (rc, params) => {
  const id = num(params.enrolmentId);
  if (id === undefined) return null;
  const row = q(rc.db).enrolment.get(id);
  if (row?.status !== "cancelled" || row.account_id !== rc.chatId) return null;
  const title = titleOf(rc, row.course_id);
  if (title === undefined) return null;
  return { text: rc.t("enrol:offer.expiredMessage", { title, name: participantName(rc.db, id) ?? "" }) };
};

export const ENROLLMENT_TEMPLATES: Record<string, Template> = {
  "enrollment.offer": offer,
  "enrollment.offerExpired": offerExpired,
};
