/** Messages of certificates: the notice that a course was completed and its certificate is ready. */
import { completionOf } from "../certificates/issue.ts";
import { NOTICE_TEMPLATE } from "../certificates/notices.ts";
import { cbRoute, field } from "../callback-data.ts";
import { pick } from "../i18n/bilingual.ts";
import type { Template } from "../notify/template.ts";

/**
 * The buttons that send a certificate, here because the notice carries one; /certificates
 * (src/bot/features/certificates.ts) builds and handles them all.
 */
export const certificateRoutes = {
  /** A course's certificate for a person; "a": asked for explicitly (a health-related course). */
  course: cbRoute("cert:c", field.id, field.id, field.optional(field.oneOf("a"))),
  /** A learning family's or team's certificate, by its id. */
  selection: cbRoute("cert:s", field.id),
  /** The volunteer's certificate of hours for a year. */
  volunteer: cbRoute("cert:v", field.id),
};

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

export const CERTIFICATE_TEMPLATES: Record<string, Template> = {
  /**
   * params: courseId, personId. Checked again when sent: the person still belongs to this chat
   * and still meets the course's share (an attendance entry may have been corrected since).
   * The button is the one /certificates shows, so its press is handled there.
   */
  [NOTICE_TEMPLATE]: (ctx, params) => {
    const courseId = num(params.courseId);
    const personId = num(params.personId);
    const person = ctx.db
      .prepare("SELECT name, is_self AS isSelf, account_id AS accountId FROM people WHERE id = ?")
      .get(personId) as { name: string; isSelf: number; accountId: number | null } | undefined;
    if (!person || person.accountId !== ctx.chatId) return null;
    const c = completionOf(ctx.db, courseId, personId, ctx.now);
    if (!c?.eligible) return null;
    const who = person.isSelf ? "self" : "member";
    // A health course is not named in a message nobody asked for: the title (say, pregnancy
    // education) says something about the person's health, and a notice shows on a lock screen
    // or to whoever holds the phone. Its certificate is made only when asked (issue.ts), so the
    // notice stays neutral and points to /certificates, where the course is listed and a second,
    // explicit press makes it. Saying nothing would leave these participants the only ones who
    // never hear that a certificate is theirs for the asking.
    if (c.healthRelated) return { text: ctx.t(`certificates:notice.neutral.${who}`, { name: person.name }) };
    return {
      text: ctx.t(`certificates:notice.${who}`, {
        name: person.name,
        course: pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale),
        present: c.present,
        held: c.held,
      }),
      reply_markup: {
        inline_keyboard: [
          [
            {
              text: ctx.t("certificates:notice.button"),
              callback_data: certificateRoutes.course.data(courseId, personId),
            },
          ],
        ],
      },
    };
  },
};
