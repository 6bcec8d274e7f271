/** Messages of the feedback feature: rating requests, problem reports, wish alerts. */
import type { InlineKeyboardMarkup } from "grammy/types";
import type { RenderContext, Template } from "../notify/template.ts";
import { cbRoute, field } from "../callback-data.ts";

/** Callback data of feedback: rating (by course and person), suggestions, problems, staff's ratings. */
export const feedbackRoutes = {
  rateMenu: cbRoute("fb:m:rate"),
  /** Course, person: asks for the stars. */
  rateCourse: cbRoute("fb:c", field.id, field.id),
  /** Course, person, stars. */
  stars: cbRoute("fb:r", field.id, field.id, field.id),
  note: cbRoute("fb:m", field.oneOf("sug", "prob")),
  ratings: cbRoute("fb:s"),
  courseRatings: cbRoute("fb:s", field.id),
};

/** Callback data of course wishes: start choosing, or a search that found nothing ("more like …"). */
export const wishRoutes = {
  start: cbRoute("wsh:start"),
  search: cbRoute("wsh:q", field.text),
};
import { pick } from "../i18n/bilingual.ts";

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

function courseTitle(ctx: RenderContext, courseId: number): string | undefined {
  const row = ctx.db.prepare("SELECT title_zh, title_en FROM courses WHERE id = ?").get(courseId) as
    | { title_zh: string; title_en: string }
    | undefined;
  return row ? pick({ zh: row.title_zh, en: row.title_en }, ctx.locale) : undefined;
}

/** Five buttons, one to five stars, for one participant's rating of one course. */
export function starsKeyboard(courseId: number, personId: number): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [1, 2, 3],
      [4, 5],
    ].map((row) =>
      row.map((s) => ({
        text: "⭐".repeat(s),
        callback_data: feedbackRoutes.stars.data(courseId, personId, s),
      })),
    ),
  };
}

export const FEEDBACK_TEMPLATES: Record<string, Template> = {
  "feedback.request": (ctx, params) => {
    const courseId = num(params.courseId);
    const personId = num(params.personId);
    const title = courseTitle(ctx, courseId);
    const person = ctx.db
      .prepare("SELECT name, is_self, account_id FROM people WHERE id = ?")
      .get(personId) as { name: string; is_self: number; account_id: number | null } | undefined;
    if (!title || !person || person.account_id !== ctx.chatId) return null;
    const rated = ctx.db
      .prepare("SELECT 1 FROM feedback WHERE kind = 'rating' AND course_id = ? AND person_id = ?")
      .get(courseId, personId);
    if (rated) return null;
    const text = person.is_self
      ? ctx.t("feedback:request.self", { course: title })
      : ctx.t("feedback:request.member", { course: title, name: person.name });
    return { text, reply_markup: starsKeyboard(courseId, personId) };
  },

  "feedback.problem": (ctx, params) => {
    const row = ctx.db
      .prepare(
        `SELECT f.comment, f.anonymous, f.course_id, u.first_name, u.username FROM feedback f
         LEFT JOIN users u ON u.id = f.account_id WHERE f.id = ?`,
      )
      .get(num(params.feedbackId)) as
      | {
          comment: string;
          anonymous: number;
          course_id: number | null;
          first_name: string | null;
          username: string | null;
        }
      | undefined;
    if (!row) return null;
    const course = row.course_id !== null ? courseTitle(ctx, row.course_id) : undefined;
    const who = row.anonymous
      ? ctx.t("feedback:anonymous")
      : `${row.first_name ?? "?"}${row.username ? ` (@${row.username})` : ""}`;
    return {
      text: ctx.t("feedback:staff.problem", {
        course: course ?? ctx.t("feedback:general"),
        who,
        comment: row.comment,
      }),
    };
  },

  "feedback.wishThreshold": (ctx, params) => {
    const topic = String(params.topic);
    return {
      text: ctx.t("feedback:staff.wishThreshold", {
        topic: ctx.t(`codes:category.${topic}`, { defaultValue: topic }),
        count: num(params.count),
      }),
    };
  },

  "feedback.wishCourse": (ctx, params) => {
    const courseId = num(params.courseId);
    const row = ctx.db.prepare("SELECT status FROM courses WHERE id = ?").get(courseId) as
      | { status: string }
      | undefined;
    const title = courseTitle(ctx, courseId);
    if (row?.status !== "open" || !title) return null;
    return { text: ctx.t("feedback:wish.courseOpened", { course: title }) };
  },
};
