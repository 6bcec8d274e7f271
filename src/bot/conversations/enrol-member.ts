import { InlineKeyboard } from "grammy";
import type { Relation } from "../../catalog/codes.ts";
import { isRelation, RELATIONS } from "../../catalog/codes.ts";
import { addFamilyMember, parseBirthYear, parseMemberName } from "../../enrollment/family.ts";
import type { ConvContext } from "../context.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { answer } from "../menu.ts";
import { enrolRoutes } from "../views/enrol.ts";
import { stepWithPhone, strayHint } from "./enrol-shared.ts";
import type { LifelongConversation } from "../context.ts";

export const ENROL_MEMBER = "enrol-member";

/**
 * Adds a family member inside the enrolment flow (name, relation, year of birth), remembers
 * them, then goes on with the course for that person. /cancel before the year leaves nothing
 * written; the member is saved only once all three answers are in.
 */
export async function enrolMember(
  conversation: LifelongConversation,
  ctx: ConvContext,
  courseId: number,
): Promise<void> {
  await ctx.reply(ctx.t("enrol:member.askName"), { parse_mode: "HTML" });
  let name: string | undefined;
  while (name === undefined) {
    const m = await conversation.waitFor("message:text", {
      otherwise: (o) => strayHint(o, "enrol:member.typeText"),
    });
    const text = m.message.text;
    name = text.startsWith("/") ? undefined : parseMemberName(text);
    if (name === undefined)
      await m.reply(ctx.t(text.startsWith("/") ? "enrol:member.typeText" : "enrol:member.badName"));
  }

  const kb = new InlineKeyboard();
  RELATIONS.filter((r) => r !== "self").forEach((r, i) => {
    kb.text(ctx.t(`codes:relation.${r}`), enrolRoutes.relation.data(r));
    if (i % 2 === 1) kb.row();
  });
  await ctx.reply(ctx.t("enrol:member.askRelation", { name }), { parse_mode: "HTML", reply_markup: kb });
  let relation: Relation | undefined;
  while (relation === undefined) {
    const c = await conversation.waitForCallbackQuery(enrolRoutes.relation.pattern, {
      otherwise: (o) => strayHint(o, "enrol:member.useButtons"),
    });
    const [chosen] = enrolRoutes.relation.read(c.match);
    await answer(c);
    if (isRelation(chosen) && chosen !== "self") relation = chosen;
  }

  await ctx.reply(ctx.t("enrol:member.askYear", { name }), { parse_mode: "HTML" });
  let birthYear: number | undefined;
  while (birthYear === undefined) {
    const m = await conversation.waitFor("message:text", {
      otherwise: (o) => strayHint(o, "enrol:member.typeText"),
    });
    const nowIso = await conversation.external((c) => c.deps.clock.now().toISOString());
    const parsed = parseBirthYear(m.message.text, new Date(nowIso));
    if (parsed.ok) birthYear = parsed.year;
    else {
      const key =
        parsed.reason === "future" ? "yearFuture" : parsed.reason === "tooOld" ? "yearTooOld" : "yearFormat";
      await m.reply(ctx.t(`enrol:member.${key}`));
    }
  }

  const accountId = ctx.from?.id ?? 0;
  const member = { name, relation, birthYear };
  const person = await conversation.external((c) =>
    addFamilyMember(c.deps.db, accountId, member, c.deps.clock.now()),
  );
  const screen = await stepWithPhone(conversation, ctx, { courseId, ref: String(person.id), flags: "-" });
  // One message: "saved" rides on the next screen of the flow.
  const added = ctx.t("enrol:member.added", {
    name: escapeHtml(person.name),
    interpolation: { escapeValue: false },
  });
  await ctx.reply(`${added}\n\n${screen.text}`, {
    parse_mode: "HTML",
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  });
}
