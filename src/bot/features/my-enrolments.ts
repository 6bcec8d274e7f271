import { Composer, InlineKeyboard, InputFile } from "grammy";
import { enrolmentCalendar } from "../../enrollment/calendar.ts";
import { cancelEnrolment } from "../../enrollment/cancel.ts";
import type { MyEnrolment } from "../../enrollment/mine.ts";
import { getMyEnrolment, listMyEnrolments } from "../../enrollment/mine.ts";
import type { BotContext } from "../context.ts";
import { offerRoute } from "../../messages/enrollment.ts";
import { answer, backRow, onMenuEntry } from "../menu.ts";
import { teamRoutes } from "../views/teams.ts";
import { renderCourseCard } from "../views/course-card.ts";
import { refuseForeign } from "./enrol-guard.ts";
import type { Screen } from "../views/enrol.ts";
import { mineRoutes, raw, show, titleOf, when } from "../views/enrol.ts";

function stateLine(ctx: BotContext, e: MyEnrolment): string {
  if (e.status === "offered")
    return ctx.t("enrol:mine.stateOffered", { until: e.offerExpiresAt ? when(ctx, e.offerExpiresAt) : "—" });
  if (e.status === "waitlisted") return ctx.t("enrol:mine.stateWaitlisted", { position: e.position ?? 0 });
  return ctx.t("enrol:mine.stateEnrolled", { next: e.nextSessionAt ? when(ctx, e.nextSessionAt) : "—" });
}

/** One list across the family: course, participant, next class or waitlist place or open offer. */
function listScreen(ctx: BotContext): Screen {
  const items = listMyEnrolments(ctx.deps.db, ctx.from?.id ?? 0, ctx.deps.clock.now());
  if (items.length === 0) return { text: `${ctx.t("enrol:mine.title")}\n\n${ctx.t("enrol:mine.empty")}` };
  const kb = new InlineKeyboard();
  const lines = items.map((e, i) => {
    const title = titleOf(ctx, e);
    kb.text(
      ctx.t("enrol:mine.button", { n: i + 1, title, name: e.personName, ...raw }),
      mineRoutes.enrolment.data(e.enrolmentId),
    ).row();
    return ctx.t("enrol:mine.line", {
      n: i + 1,
      title,
      name: e.personName,
      state: stateLine(ctx, e),
      interpolation: { escapeValue: true },
    });
  });
  return { text: [ctx.t("enrol:mine.title"), "", ...lines].join("\n"), keyboard: kb };
}

function detailScreen(ctx: BotContext, e: MyEnrolment): Screen {
  const kb = new InlineKeyboard();
  if (e.status === "offered") {
    kb.text(ctx.t("enrol:offer.accept"), offerRoute.data("a", e.enrolmentId))
      .text(ctx.t("enrol:offer.decline"), offerRoute.data("d", e.enrolmentId))
      .row();
  }
  if (e.status === "enrolled")
    kb.text(ctx.t("enrol:mine.calendar"), mineRoutes.calendar.data(e.enrolmentId)).row();
  if (e.status === "enrolled") kb.text(ctx.t("teams:button"), teamRoutes.mine.data(e.enrolmentId)).row();
  kb.text(ctx.t("enrol:mine.details"), mineRoutes.course.data(e.enrolmentId)).row();
  kb.text(ctx.t("enrol:mine.cancel"), mineRoutes.cancel.data(e.enrolmentId));
  backRow(ctx, mineRoutes.list.data(), kb);
  const state = stateLine(ctx, e);
  return {
    text: ctx.t("enrol:mine.detail", {
      title: titleOf(ctx, e),
      name: e.personName,
      state,
      interpolation: { escapeValue: true },
    }),
    keyboard: kb,
  };
}

/**
 * Loads one enrolment for a button press; refuses (and logs) someone else's, and says so when
 * it is no longer active. Returns undefined when the press has been answered already.
 */
async function load(ctx: BotContext, enrolmentId: number): Promise<MyEnrolment | undefined> {
  const r = getMyEnrolment(ctx.deps.db, enrolmentId, ctx.from?.id ?? 0, ctx.deps.clock.now());
  if (r.kind === "notYours") {
    await refuseForeign(ctx, "enrolment", enrolmentId);
    return undefined;
  }
  if (r.kind === "notFound" || r.item === null) {
    await answer(ctx, ctx.t("enrol:mine.gone"), true);
    await show(ctx, listScreen(ctx));
    return undefined;
  }
  return r.item;
}

/** 📋 My enrolments: the family's list, details, cancel with confirmation, calendar file. */
export function createMyEnrolmentsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  const sendList = async (ctx: BotContext) => {
    const screen = listScreen(ctx);
    await ctx.reply(screen.text, {
      parse_mode: "HTML",
      ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
    });
  };
  onMenuEntry(pm, "mine", "mine", sendList);

  pm.callbackQuery(mineRoutes.list.pattern, async (ctx) => {
    await answer(ctx);
    await show(ctx, listScreen(ctx));
  });

  pm.callbackQuery(mineRoutes.enrolment.pattern, async (ctx) => {
    const e = await load(ctx, mineRoutes.enrolment.read(ctx.match)[0]);
    if (!e) return;
    await answer(ctx);
    await show(ctx, detailScreen(ctx, e));
  });

  pm.callbackQuery(mineRoutes.course.pattern, async (ctx) => {
    const e = await load(ctx, mineRoutes.course.read(ctx.match)[0]);
    if (!e) return;
    await answer(ctx);
    const card = renderCourseCard(ctx, e.courseId, mineRoutes.enrolment.data(e.enrolmentId));
    if (!card)
      return show(ctx, { text: ctx.t("enrol:noCourse"), keyboard: backRow(ctx, mineRoutes.list.data()) });
    await show(ctx, { text: card.text, keyboard: card.reply_markup });
  });

  pm.callbackQuery(mineRoutes.cancel.pattern, async (ctx) => {
    const e = await load(ctx, mineRoutes.cancel.read(ctx.match)[0]);
    if (!e) return;
    await answer(ctx);
    const kb = new InlineKeyboard()
      .text(ctx.t("enrol:mine.yesCancel"), mineRoutes.cancelYes.data(e.enrolmentId))
      .row()
      .text(ctx.t("enrol:mine.keep"), mineRoutes.enrolment.data(e.enrolmentId));
    await show(ctx, {
      text: ctx.t("enrol:mine.askCancel", { title: titleOf(ctx, e), name: e.personName }),
      keyboard: kb,
    });
  });

  pm.callbackQuery(mineRoutes.cancelYes.pattern, async (ctx) => {
    const [enrolmentId] = mineRoutes.cancelYes.read(ctx.match);
    const { db, clock, config } = ctx.deps;
    const before = getMyEnrolment(db, enrolmentId, ctx.from.id, clock.now());
    const r = cancelEnrolment(db, { enrolmentId, accountId: ctx.from.id }, clock.now(), config);
    if (r.kind === "notYours") return refuseForeign(ctx, "enrolment", enrolmentId);
    await answer(ctx);
    const back = backRow(ctx, mineRoutes.list.data());
    if (r.kind !== "cancelled" || before.kind !== "ok" || !before.item) {
      return show(ctx, { text: ctx.t("enrol:mine.alreadyCancelled"), keyboard: back });
    }
    const text = ctx.t("enrol:mine.cancelledDone", {
      title: titleOf(ctx, before.item),
      name: before.item.personName,
    });
    await show(ctx, { text, keyboard: back });
  });

  pm.callbackQuery(mineRoutes.calendar.pattern, async (ctx) => {
    const [enrolmentId] = mineRoutes.calendar.read(ctx.match);
    const { db, clock, config } = ctx.deps;
    const r = enrolmentCalendar(db, {
      enrolmentId,
      accountId: ctx.from.id,
      locale: ctx.locale,
      now: clock.now(),
      timezone: config.timezone,
    });
    if (r.kind === "notYours") return refuseForeign(ctx, "enrolment", enrolmentId);
    if (r.kind === "noSessions") return answer(ctx, ctx.t("enrol:mine.noSessions"), true);
    if (r.kind !== "ok") {
      // A button on an old message, for an enrolment since cancelled: say so and show what is current.
      await answer(ctx, ctx.t("enrol:mine.gone"), true);
      return show(ctx, listScreen(ctx));
    }
    await answer(ctx);
    await ctx.replyWithDocument(new InputFile(Buffer.from(r.ics, "utf8"), r.fileName), {
      caption: ctx.t("enrol:mine.calendarCaption", { count: r.sessions, title: r.title }),
      parse_mode: "HTML",
    });
  });

  return composer;
}
