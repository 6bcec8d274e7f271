/**
 * Course management in chat for staff of the course's site (or all sites): capacity, closing
 * enrolment, cancelling or moving a session, adding a course (conversation course-add).
 * Callback data: crm:l:<page> · crm:c:<courseId> · crm:k:<courseId>:<capacity> (absolute, so a
 * double tap sets the same value twice) · crm:x|o:<courseId> (close/reopen enrolment) ·
 * crm:s:<courseId> (sessions) · crm:ss:<sessionId> · crm:sc:<sessionId> (ask) ·
 * crm:scy:<sessionId> (cancel) · crm:sm:<sessionId> (move, conversation course-move) · crm:new.
 */
import { Composer, InlineKeyboard } from "grammy";
import { formatDateTime } from "../../i18n/format.ts";
import { canManageCourse } from "../../staff/access.ts";
import type { SessionLine } from "../../staff/courses.ts";
import {
  cancelSession,
  managedCourses,
  seatsHeld,
  sessionLine,
  setCapacity,
  setEnrolmentOpen,
  upcomingSessionsOf,
  waitlistCount,
} from "../../staff/courses.ts";
import type { CourseHead } from "../../staff/roster.ts";
import { courseHead } from "../../staff/roster.ts";
import type { BotContext } from "../context.ts";
import { broadcastRoutes, courseAdminRoutes, staffRoutes } from "../../messages/staff-routes.ts";
import { answer, pagerButtons } from "../menu.ts";
import { rosterRoutes } from "../views/roster.ts";
import { buttonMax, distinctLabels } from "../labels.ts";
import { posterButton } from "./publicity.ts";
import { courseTitle, refuse, requireStaff, show } from "./staff-guard.ts";

const PAGE = 8;

async function listCourses(ctx: BotContext, page: number): Promise<void> {
  if (!(await requireStaff(ctx))) return;
  const rows = managedCourses(
    ctx.deps.db,
    ctx.account!.id,
    ["open", "closed", "draft"],
    PAGE + 1,
    page * PAGE,
  );
  const kb = new InlineKeyboard().text(ctx.t("staff:crm.new"), courseAdminRoutes.add.data()).row();
  const shown = rows.slice(0, PAGE);
  const labels = distinctLabels(
    shown.map((c) => ({ title: courseTitle(ctx, c) })),
    buttonMax(ctx.locale),
  );
  for (const [i, c] of shown.entries()) kb.text(labels[i]!, courseAdminRoutes.course.data(c.id)).row();
  pagerButtons(kb, page, rows.length > PAGE, courseAdminRoutes.list);
  await show(ctx, ctx.t("staff:crm.choose"), kb.row().text(ctx.t("common:back"), staffRoutes.menu.data()));
}

/** The course if the caller manages it; a refusal otherwise. */
async function gate(ctx: BotContext, courseId: number): Promise<CourseHead | undefined> {
  if (!ctx.account || !canManageCourse(ctx.deps.db, ctx.account.id, courseId)) {
    await refuse(ctx);
    return undefined;
  }
  return courseHead(ctx.deps.db, courseId);
}

async function courseCard(ctx: BotContext, courseId: number, note?: string): Promise<void> {
  const c = await gate(ctx, courseId);
  if (!c) return;
  const { db } = ctx.deps;
  const seats = seatsHeld(db, courseId);
  const waitlist = waitlistCount(db, courseId);
  const kb = new InlineKeyboard();
  for (const d of [-5, -1, 1, 5, 10]) {
    const v = c.capacity + d;
    if (v >= 0)
      kb.text(`${d > 0 ? "+" : "−"}${Math.abs(d)} → ${v}`, courseAdminRoutes.capacity.data(c.id, v));
  }
  kb.row();
  if (c.status === "open") kb.text(ctx.t("staff:crm.close"), courseAdminRoutes.openClose.data("x", c.id));
  if (c.status === "closed") kb.text(ctx.t("staff:crm.reopen"), courseAdminRoutes.openClose.data("o", c.id));
  kb.text(ctx.t("staff:crm.sessions"), courseAdminRoutes.sessions.data(c.id)).row();
  kb.text(ctx.t("staff:menu.roster"), rosterRoutes.course.data(c.id))
    .text(ctx.t("staff:menu.broadcast"), broadcastRoutes.fromCourse.data(`c${c.id}`))
    .row();
  const poster = posterButton(ctx, c.id);
  kb.text(poster.text, poster.data).row();
  kb.text(ctx.t("common:back"), courseAdminRoutes.list.data(0));
  const text = [
    ctx.t("staff:crm.card", {
      title: courseTitle(ctx, c),
      capacity: c.capacity,
      seats,
      waitlist,
      status: ctx.t(`staff:courseStatus.${c.status}`),
    }),
    ...(note ? [`\n${note}`] : []),
  ].join("\n");
  await show(ctx, text, kb);
}

async function changeCapacity(ctx: BotContext, courseId: number, capacity: number): Promise<void> {
  const c = await gate(ctx, courseId);
  if (!c) return;
  const { db, clock, config } = ctx.deps;
  const r = setCapacity(db, ctx.account!.id, courseId, capacity, clock.now(), {
    offerHours: config.offerHours,
  });
  if (!r.ok && r.problem === "belowSeats") {
    // Nobody is dropped: staff choose between the lowest possible capacity and leaving it.
    const kb = new InlineKeyboard()
      .text(ctx.t("staff:crm.setToSeats", { n: r.seats }), courseAdminRoutes.capacity.data(courseId, r.seats))
      .row()
      .text(ctx.t("staff:crm.keep", { n: c.capacity }), courseAdminRoutes.course.data(courseId));
    await show(ctx, ctx.t("staff:crm.belowSeats", { wanted: capacity, seats: r.seats }), kb);
    return;
  }
  if (!r.ok) return answer(ctx, ctx.t("common:stale"), true);
  const note =
    r.from === r.to
      ? ctx.t("staff:crm.capacityUnchanged", { n: r.to })
      : ctx.t("staff:crm.capacitySet", { from: r.from, to: r.to, offers: r.offers });
  await courseCard(ctx, courseId, note);
}

async function openClose(ctx: BotContext, courseId: number, open: boolean): Promise<void> {
  const c = await gate(ctx, courseId);
  if (!c) return;
  const changed = setEnrolmentOpen(ctx.deps.db, ctx.account!.id, courseId, open, ctx.deps.clock.now());
  await courseCard(
    ctx,
    courseId,
    changed ? ctx.t(open ? "staff:crm.reopened" : "staff:crm.closed") : ctx.t("staff:crm.noChange"),
  );
}

async function listSessions(ctx: BotContext, courseId: number): Promise<void> {
  const c = await gate(ctx, courseId);
  if (!c) return;
  const { db, clock, config } = ctx.deps;
  const rows = upcomingSessionsOf(db, courseId, clock.now(), 10);
  const kb = new InlineKeyboard();
  for (const s of rows) {
    const mark = s.status === "cancelled" ? "❌ " : "";
    kb.text(
      `${mark}${formatDateTime(s.starts_at, ctx.locale, config.timezone)}`,
      courseAdminRoutes.session.data(s.id),
    ).row();
  }
  kb.text(ctx.t("common:back"), courseAdminRoutes.course.data(courseId));
  await show(
    ctx,
    rows.length > 0
      ? ctx.t("staff:crm.sessionsTitle", { title: courseTitle(ctx, c) })
      : ctx.t("staff:crm.noSessions"),
    kb,
  );
}

async function sessionGate(
  ctx: BotContext,
  sessionId: number,
): Promise<{ s: SessionLine; c: CourseHead } | undefined> {
  const s = sessionLine(ctx.deps.db, sessionId);
  if (!s) {
    await refuse(ctx);
    return undefined;
  }
  const c = await gate(ctx, s.course_id);
  return c ? { s, c } : undefined;
}

async function sessionCard(ctx: BotContext, sessionId: number, confirmCancel = false): Promise<void> {
  const g = await sessionGate(ctx, sessionId);
  if (!g) return;
  const when = formatDateTime(g.s.starts_at, ctx.locale, ctx.deps.config.timezone);
  const kb = new InlineKeyboard();
  if (g.s.status === "scheduled") {
    if (confirmCancel)
      kb.text(ctx.t("staff:crm.cancelYes"), courseAdminRoutes.cancelSessionYes.data(sessionId)).row();
    else
      kb.text(ctx.t("staff:crm.move"), courseAdminRoutes.moveSession.data(sessionId))
        .text(ctx.t("staff:crm.cancelSession"), courseAdminRoutes.cancelSession.data(sessionId))
        .row();
  }
  kb.text(ctx.t("common:back"), courseAdminRoutes.sessions.data(g.s.course_id));
  const key =
    g.s.status === "cancelled"
      ? "staff:crm.sessionCancelled"
      : confirmCancel
        ? "staff:crm.cancelAsk"
        : "staff:crm.sessionCard";
  await show(ctx, ctx.t(key, { title: courseTitle(ctx, g.c), when }), kb);
}

async function doCancel(ctx: BotContext, sessionId: number): Promise<void> {
  const g = await sessionGate(ctx, sessionId);
  if (!g) return;
  const r = cancelSession(ctx.deps.db, ctx.account!.id, sessionId, ctx.deps.clock.now());
  if (!r.ok) {
    await answer(ctx, ctx.t(`staff:crm.sessionProblem.${r.problem}`), true);
    return;
  }
  await show(
    ctx,
    ctx.t("staff:crm.cancelledDone", {
      title: courseTitle(ctx, g.c),
      when: formatDateTime(g.s.starts_at, ctx.locale, ctx.deps.config.timezone),
    }),
    new InlineKeyboard().text(ctx.t("common:back"), courseAdminRoutes.sessions.data(g.s.course_id)),
  );
}

export function createCourseAdmin(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("manage", (ctx) => listCourses(ctx, 0));
  composer.callbackQuery(courseAdminRoutes.list.pattern, (ctx) =>
    listCourses(ctx, courseAdminRoutes.list.read(ctx.match)[0]),
  );
  composer.callbackQuery(courseAdminRoutes.course.pattern, (ctx) =>
    courseCard(ctx, courseAdminRoutes.course.read(ctx.match)[0]),
  );
  composer.callbackQuery(courseAdminRoutes.capacity.pattern, (ctx) =>
    changeCapacity(
      ctx,
      courseAdminRoutes.capacity.read(ctx.match)[0],
      courseAdminRoutes.capacity.read(ctx.match)[1],
    ),
  );
  composer.callbackQuery(courseAdminRoutes.openClose.pattern, (ctx) =>
    openClose(
      ctx,
      courseAdminRoutes.openClose.read(ctx.match)[1],
      courseAdminRoutes.openClose.read(ctx.match)[0] === "o",
    ),
  );
  composer.callbackQuery(courseAdminRoutes.sessions.pattern, (ctx) =>
    listSessions(ctx, courseAdminRoutes.sessions.read(ctx.match)[0]),
  );
  composer.callbackQuery(courseAdminRoutes.session.pattern, (ctx) =>
    sessionCard(ctx, courseAdminRoutes.session.read(ctx.match)[0]),
  );
  composer.callbackQuery(courseAdminRoutes.cancelSession.pattern, (ctx) =>
    sessionCard(ctx, courseAdminRoutes.cancelSession.read(ctx.match)[0], true),
  );
  composer.callbackQuery(courseAdminRoutes.cancelSessionYes.pattern, (ctx) =>
    doCancel(ctx, courseAdminRoutes.cancelSessionYes.read(ctx.match)[0]),
  );
  composer.callbackQuery(courseAdminRoutes.moveSession.pattern, async (ctx) => {
    const g = await sessionGate(ctx, courseAdminRoutes.moveSession.read(ctx.match)[0]);
    if (!g) return;
    await answer(ctx);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter("course-move", g.s.id);
  });
  composer.callbackQuery(courseAdminRoutes.add.pattern, async (ctx) => {
    if (!(await requireStaff(ctx))) return;
    await answer(ctx);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter("course-add");
  });
  return composer;
}
