import { Composer, InlineKeyboard } from "grammy";
import type { CheckinResult } from "../../enrollment/checkin.ts";
import { checkIn, typedCheckinCode } from "../../enrollment/checkin.ts";
import { confirmEnrolment, courseBrief, enrolmentStep, startEnrolment } from "../../enrollment/flow.ts";
import { answerOffer } from "../../enrollment/offers.ts";
import { participantName } from "../../enrollment/queries.ts";
import type { BotContext } from "../context.ts";
import { ENROL_MEMBER } from "../conversations/enrol-member.ts";
import { ENROL_PHONE } from "../conversations/enrol-phone.ts";
import { answer } from "../menu.ts";
import { offerRoute } from "../../messages/enrollment.ts";
import { refuseForeign } from "./enrol-guard.ts";
import {
  choiceScreen,
  confirmationScreen,
  enrolRoutes,
  mineRoutes,
  parseFlags,
  show,
  stepScreen,
  titleOf,
  when,
} from "../views/enrol.ts";

/**
 * Enrolling: `enr:<courseId>` from the course card starts it; every later step is a callback
 * that names the course, the participant ("s" = me) and the flags so far, and is re-checked
 * against the database on each press. Only the confirm press (`enr:ok:…`) writes.
 * Also answers to seat offers (`off:a|d:<enrolmentId>`) and check-in links (`/start ci_<code>`).
 */
export function createEnrollmentFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  // "Enrol" on a card; `enr:w:<id>` is "someone else", which always asks who it is for.
  pm.callbackQuery([enrolRoutes.start.pattern, enrolRoutes.someoneElse.pattern], async (ctx) => {
    const other = enrolRoutes.someoneElse.parse(ctx.callbackQuery.data);
    const [courseId] = other ?? enrolRoutes.start.read(ctx.match);
    const start = startEnrolment(
      ctx.deps.db,
      { accountId: ctx.from.id, courseId, choose: other !== null },
      ctx.deps.clock.now(),
    );
    await answer(ctx);
    if (start.kind === "noCourse") return show(ctx, { text: ctx.t("enrol:noCourse") });
    const screen =
      start.kind === "choose" ? choiceScreen(ctx, start.course, start.people) : stepScreen(ctx, start, "-");
    if (screen.askPhone) {
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(ENROL_PHONE, courseId, "s", "-");
      return;
    }
    // From a card, a new message (the card stays above it); "someone else" redraws in place.
    if (other) return show(ctx, screen);
    await ctx.reply(screen.text, {
      parse_mode: "HTML",
      ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
    });
  });

  pm.callbackQuery(enrolRoutes.person.pattern, async (ctx) => {
    const [courseId, person, flags] = enrolRoutes.person.read(ctx.match);
    const ref = String(person);
    const { consent, acceptClash } = parseFlags(flags);
    const step = enrolmentStep(
      ctx.deps.db,
      { accountId: ctx.from.id, courseId, ref, consent, acceptClash },
      ctx.deps.clock.now(),
    );
    if (step.kind === "noPerson") return refuseForeign(ctx, "person", ref);
    const screen = stepScreen(ctx, step, flags);
    await answer(ctx);
    if (screen.askPhone) {
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(ENROL_PHONE, courseId, ref, flags);
      return;
    }
    await show(ctx, screen);
  });

  pm.callbackQuery(enrolRoutes.addMember.pattern, async (ctx) => {
    await answer(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(ENROL_MEMBER, enrolRoutes.addMember.read(ctx.match)[0]);
  });

  pm.callbackQuery(enrolRoutes.confirm.pattern, async (ctx) => {
    const [courseId, person, flags] = enrolRoutes.confirm.read(ctx.match);
    const ref = String(person);
    // No await before the write: presses are served in the order they arrive.
    const done = confirmEnrolment(
      ctx.deps.db,
      { accountId: ctx.from.id, courseId, ref, flags: parseFlags(flags), contact: ctx.pendingContact },
      ctx.deps.clock.now(),
    );
    ctx.pendingContact = undefined;
    if (done.kind === "noPerson") return refuseForeign(ctx, "person", ref);
    await answer(ctx);
    if (done.kind === "noCourse") return show(ctx, { text: ctx.t("enrol:noCourse") });
    const screen = confirmationScreen(ctx, done, flags);
    if (screen.askPhone) {
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(ENROL_PHONE, courseId, ref, flags.replace("s", "") || "-");
      return;
    }
    await show(ctx, screen);
  });

  pm.callbackQuery(enrolRoutes.stop.pattern, async (ctx) => {
    await answer(ctx);
    await show(ctx, { text: ctx.t("enrol:stopped") });
  });

  pm.callbackQuery(offerRoute.pattern, async (ctx) => {
    const [action, enrolmentId] = offerRoute.read(ctx.match);
    const { db, clock, config } = ctx.deps;
    const r = answerOffer(
      db,
      { enrolmentId, accountId: ctx.from.id, accept: action === "a" },
      clock.now(),
      config,
    );
    if (r.kind === "notYours") return refuseForeign(ctx, "enrolment", enrolmentId);
    await answer(ctx);
    if (r.kind === "notFound") return show(ctx, { text: ctx.t("enrol:offer.notOpen") });
    const course = courseBrief(db, r.courseId);
    const title = course ? titleOf(ctx, course) : "";
    const name = participantName(db, enrolmentId) ?? "";
    const mine = new InlineKeyboard().text(ctx.t("enrol:result.mine"), mineRoutes.list.data());
    if (r.kind === "accepted") {
      const kb = new InlineKeyboard()
        .text(ctx.t("enrol:result.calendar"), mineRoutes.calendar.data(enrolmentId))
        .row()
        .text(ctx.t("enrol:result.mine"), mineRoutes.list.data());
      const next = r.nextSessionAt ? when(ctx, r.nextSessionAt) : "—";
      return show(ctx, { text: ctx.t("enrol:offer.accepted", { title, name, next }), keyboard: kb });
    }
    if (r.kind === "declined") return show(ctx, { text: ctx.t("enrol:offer.declined"), keyboard: mine });
    if (r.kind === "expired") return show(ctx, { text: ctx.t("enrol:offer.expired"), keyboard: mine });
    await show(ctx, { text: ctx.t("enrol:offer.notOpen"), keyboard: mine });
  });

  pm.command("start", async (ctx, next) => {
    if (!ctx.match.startsWith("ci_")) return next();
    await ctx.conversation.exitAll();
    const r = checkIn(
      ctx.deps.db,
      { code: ctx.match.slice(3), accountId: ctx.from.id },
      ctx.deps.clock.now(),
    );
    await replyCheckin(ctx, r, ctx.match.slice(3));
  });

  // The code typed alone, as the QR message says: a check-in, not a search.
  pm.on("message:text", async (ctx, next) => {
    const code = typedCheckinCode(ctx.deps.db, ctx.message.text);
    if (!code) return next();
    const r = checkIn(ctx.deps.db, { code, accountId: ctx.from.id }, ctx.deps.clock.now());
    await replyCheckin(ctx, r, code);
  });

  pm.callbackQuery(enrolRoutes.checkin.pattern, async (ctx) => {
    const [code, personId] = enrolRoutes.checkin.read(ctx.match);
    const r = checkIn(ctx.deps.db, { code, accountId: ctx.from.id, personId }, ctx.deps.clock.now());
    await answer(ctx);
    await replyCheckin(ctx, r, code);
  });

  return composer;
}

async function replyCheckin(ctx: BotContext, r: CheckinResult, code: string): Promise<void> {
  if (r.kind === "unknown") return show(ctx, { text: ctx.t("enrol:checkin.unknown") });
  const course = courseBrief(ctx.deps.db, r.courseId);
  const title = course ? titleOf(ctx, course) : "";
  switch (r.kind) {
    case "cancelled":
      return show(ctx, { text: ctx.t("enrol:checkin.cancelled") });
    case "tooEarly":
      return show(ctx, { text: ctx.t("enrol:checkin.tooEarly", { title, opens: when(ctx, r.opensAt) }) });
    case "over":
      return show(ctx, { text: ctx.t("enrol:checkin.over", { at: when(ctx, r.startsAt) }) });
    case "notEnrolled":
      return show(ctx, { text: ctx.t("enrol:checkin.notEnrolled", { title }) });
    case "choose": {
      const kb = new InlineKeyboard();
      for (const p of r.people) kb.text(p.name, enrolRoutes.checkin.data(code.toUpperCase(), p.id)).row();
      return show(ctx, { text: ctx.t("enrol:checkin.choose", { title }), keyboard: kb });
    }
    case "present": {
      const names = r.people.map((p) => p.name).join(", ");
      return show(ctx, {
        text: ctx.t(r.already ? "enrol:checkin.already" : "enrol:checkin.present", { names, title }),
      });
    }
  }
}
