/** A school's staff write one section of the monthly report: text up to 1,000 characters, or a voice note. */
import type { Section } from "../../report-cycle/cycle.ts";
import { addVoiceNote, getReport, saveSection } from "../../report-cycle/cycle.ts";
import { draftButtons, reportText } from "../../report-cycle/render.ts";
import { staffScope } from "../../staff/access.ts";
import type { ConvContext } from "../context.ts";
import { answer } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";

export const REPORT_SECTION = "report-section";

export async function reportSection(
  conversation: LifelongConversation,
  ctx: ConvContext,
  reportId: number,
  section: Section,
): Promise<void> {
  const userId = ctx.account?.id ?? 0;
  const allowed = await conversation.external((c: ConvContext) => {
    const r = getReport(c.deps.db, reportId);
    const scope = staffScope(c.deps.db, userId);
    return r !== undefined && (scope.allSites || scope.siteIds.includes(r.siteId));
  });
  if (!allowed) {
    await ctx.reply(ctx.t("reports-cycle:denied"));
    return;
  }
  const name = ctx.t(`reports-cycle:section.${section}`);
  await ctx.reply(ctx.t("reports-cycle:ask", { section: name }));
  for (;;) {
    const m = await conversation.waitUntil(
      (c: ConvContext) =>
        (typeof c.message?.text === "string" && !c.message.text.startsWith("/")) ||
        c.message?.voice !== undefined,
      {
        otherwise: async (c: ConvContext) => {
          if (c.callbackQuery) await answer(c, ctx.t("reports-cycle:typeOrVoice"), true);
          else await c.reply(ctx.t("reports-cycle:typeOrVoice"));
        },
      },
    );
    const voice = m.message?.voice;
    const text = m.message?.text ?? "";
    const r = await conversation.external((c: ConvContext) =>
      voice
        ? addVoiceNote(c.deps.db, reportId, { section, fileId: voice.file_id, seconds: voice.duration })
        : saveSection(c.deps.db, reportId, section, text),
    );
    if (r.kind === "tooLong") {
      await ctx.reply(ctx.t("reports-cycle:tooLong", { length: r.length, max: r.max }));
      continue;
    }
    if (r.kind === "empty") {
      await ctx.reply(ctx.t("reports-cycle:empty"));
      continue;
    }
    if (r.kind === "submitted") await ctx.reply(ctx.t("reports-cycle:alreadySubmitted"));
    else if (r.kind === "notFound") await ctx.reply(ctx.t("reports-cycle:notFound"));
    else
      await ctx.reply(
        voice ? ctx.t("reports-cycle:voiceSaved") : ctx.t("reports-cycle:saved", { length: r.length }),
      );
    break;
  }
  const screen = await conversation.external((c: ConvContext) => {
    const r = getReport(c.deps.db, reportId);
    if (!r || r.submittedAt) return null;
    return {
      text: reportText(c.t, c.locale, c.deps.db, r, c.deps.config.timezone),
      keyboard: draftButtons(c.t, r),
    };
  });
  if (screen) await ctx.reply(screen.text, { parse_mode: "HTML", reply_markup: screen.keyboard });
}
