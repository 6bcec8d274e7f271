import { courseTitles } from "../../catalog/lookups.ts";
/**
 * The organisation's contact (/myorg): their people with who trained this year, adding a
 * person, enrolling one in a course after confirming the person agreed, marking one as gone.
 * And a resident's optional answer to "where do you work" after enrolling in an employment course.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { OrgEnrolResult } from "../../organisations/members.ts";
import {
  employerOf,
  employerQuestionSite,
  enrolMember,
  memberForContact,
  memberLeft,
  openCoursesOfSite,
  setEmployer,
} from "../../organisations/members.ts";
import { getOrganisation, organisationsOfSite } from "../../organisations/register.ts";
import type { BotContext, ConvContext } from "../context.ts";
import { answer } from "../menu.ts";
import { ORG_MEMBER_ADD } from "../conversations/org-member-add.ts";
import { contactRoutes, contactScreen, rawLabel } from "../views/organisations.ts";
import { cutText } from "../../text.ts";
import { show } from "./staff-guard.ts";
import { pick } from "../../i18n/bilingual.ts";

/**
 * Adds the optional "where do you work" button to a resident's enrolment result, for employment
 * courses at a site with registered organisations. A button, never a required step.
 */
export function addEmployerButton(
  ctx: BotContext | ConvContext,
  kb: InlineKeyboard,
  course: { id: number; category: string },
): void {
  // Most courses are not employment courses: they need no look at the organisations.
  if (course.category === "employment" && employerQuestionSite(ctx.deps.db, course.id) !== undefined)
    kb.row().text(ctx.t("orgs:resident.ask"), contactRoutes.askEmployer.data(course.id));
}

function courseTitleById(ctx: BotContext, courseId: number): string {
  const c = courseTitles(ctx.deps.db, courseId);
  return c ? pick({ zh: c.title_zh, en: c.title_en }, ctx.locale) : "";
}

function enrolResultText(ctx: BotContext, r: OrgEnrolResult, name: string, courseTitle: string): string {
  const p = { name: name, title: courseTitle };
  switch (r.kind) {
    case "enrolled":
      return ctx.t("orgs:contact.enrolled", p);
    case "waitlisted":
      return ctx.t("orgs:contact.waitlisted", { ...p, position: r.position });
    case "already":
      return ctx.t("orgs:contact.already", p);
    case "notMember":
    case "noConsent":
      return ctx.t("orgs:contact.notMember");
    case "ineligible":
      return ctx.t(`enrol:ineligible.${r.reason}`, { ...p, range: "" });
    case "closed":
      return ctx.t(`enrol:closed.${r.reason}`, { ...p, at: "" });
    case "needsPhone":
      return ctx.t("enrol:phone.ask", p);
    case "clash":
      return ctx.t("enrol:clash.text", { ...p, list: "" });
    default:
      return ctx.t("enrol:noCourse");
  }
}

export function createOrganisationContactFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  const home = async (ctx: BotContext) => {
    const screen = contactScreen(ctx);
    await show(ctx, screen.text, screen.keyboard);
  };
  pm.command("myorg", home);
  pm.callbackQuery(contactRoutes.home.pattern, home);

  pm.callbackQuery(contactRoutes.add.pattern, async (ctx) => {
    const org = getOrganisation(ctx.deps.db, contactRoutes.add.read(ctx.match)[0]);
    if (!org || org.contactUserId !== ctx.from.id) return answer(ctx, ctx.t("orgs:contact.notContact"), true);
    await answer(ctx);
    await ctx.conversation.enter(ORG_MEMBER_ADD, org.id);
  });

  pm.callbackQuery(contactRoutes.member.pattern, async (ctx) => {
    const m = memberForContact(ctx.deps.db, contactRoutes.member.read(ctx.match)[0], ctx.from.id);
    if (!m) return answer(ctx, ctx.t("orgs:contact.notMember"), true);
    const kb = new InlineKeyboard()
      .text(ctx.t("orgs:contact.enrol"), contactRoutes.courses.data(m.id))
      .row()
      .text(ctx.t("orgs:contact.left"), contactRoutes.left.data(m.id))
      .row()
      .text(ctx.t("orgs:contact.back"), contactRoutes.home.data());
    await show(ctx, ctx.t("orgs:contact.memberScreen", { name: m.name, status: "" }), kb);
  });

  pm.callbackQuery(contactRoutes.courses.pattern, async (ctx) => {
    const { db, clock } = ctx.deps;
    const m = memberForContact(db, contactRoutes.courses.read(ctx.match)[0], ctx.from.id);
    if (!m) return answer(ctx, ctx.t("orgs:contact.notMember"), true);
    const courses = openCoursesOfSite(db, m.siteId, clock.now());
    const kb = new InlineKeyboard();
    for (const c of courses)
      kb.text(
        cutText(pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale), 60),
        contactRoutes.course.data(m.id, c.id),
      ).row();
    kb.text(ctx.t("orgs:contact.back"), contactRoutes.member.data(m.id));
    const text =
      courses.length === 0
        ? ctx.t("orgs:contact.noCourses")
        : ctx.t("orgs:contact.pickCourse", { name: m.name });
    await show(ctx, text, kb);
  });

  pm.callbackQuery(contactRoutes.course.pattern, async (ctx) => {
    const [memberId, courseId] = contactRoutes.course.read(ctx.match);
    const m = memberForContact(ctx.deps.db, memberId, ctx.from.id);
    if (!m) return answer(ctx, ctx.t("orgs:contact.notMember"), true);
    const kb = new InlineKeyboard()
      .text(ctx.t("orgs:contact.consent"), contactRoutes.enrol.data(m.id, courseId))
      .row()
      .text(ctx.t("orgs:contact.back"), contactRoutes.courses.data(m.id));
    await show(
      ctx,
      ctx.t("orgs:contact.confirm", {
        name: m.name,
        title: courseTitleById(ctx, courseId),
      }),
      kb,
    );
  });

  // The press on "they agreed" is the consent; a clash is shown and can be accepted with "x".
  pm.callbackQuery(contactRoutes.enrol.pattern, async (ctx) => {
    const { db, clock } = ctx.deps;
    const [memberId, courseId, clash] = contactRoutes.enrol.read(ctx.match);
    const m = memberForContact(db, memberId, ctx.from.id);
    if (!m) return answer(ctx, ctx.t("orgs:contact.notMember"), true);
    const r = enrolMember(
      db,
      { memberId: m.id, contactId: ctx.from.id, courseId, consent: true, acceptClash: clash === "x" },
      clock.now(),
    );
    const kb = new InlineKeyboard();
    if (r.kind === "clash")
      kb.text(ctx.t("enrol:clash.anyway"), contactRoutes.enrol.data(m.id, courseId, "x")).row();
    kb.text(ctx.t("orgs:contact.back"), contactRoutes.home.data());
    await show(ctx, enrolResultText(ctx, r, m.name, courseTitleById(ctx, courseId)), kb);
  });

  pm.callbackQuery(contactRoutes.left.pattern, async (ctx) => {
    const { db, clock } = ctx.deps;
    const m = memberForContact(db, contactRoutes.left.read(ctx.match)[0], ctx.from.id);
    if (!m || !memberLeft(db, m.id, ctx.from.id, clock.now()))
      return answer(ctx, ctx.t("orgs:contact.notMember"), true);
    await answer(ctx, ctx.t("orgs:contact.leftDone", { name: m.name, ...rawLabel }));
    await home(ctx);
  });

  // A resident's optional answer: the organisations of the course's site, or "none".
  pm.callbackQuery(contactRoutes.askEmployer.pattern, async (ctx) => {
    const { db } = ctx.deps;
    const siteId = employerQuestionSite(db, contactRoutes.askEmployer.read(ctx.match)[0]);
    const orgs = siteId === undefined ? [] : organisationsOfSite(db, siteId);
    if (orgs.length === 0) return answer(ctx, ctx.t("orgs:resident.noOrganisations"), true);
    const current = employerOf(db, ctx.from.id)?.id;
    const kb = new InlineKeyboard();
    for (const o of orgs.slice(0, 30))
      kb.text(
        `${o.id === current ? "✅ " : ""}${cutText(o.name, 56)}`,
        contactRoutes.setEmployer.data(o.id),
      ).row();
    kb.text(ctx.t("orgs:resident.none"), contactRoutes.setEmployer.data(0));
    await show(ctx, ctx.t("orgs:resident.prompt"), kb);
  });

  pm.callbackQuery(contactRoutes.setEmployer.pattern, async (ctx) => {
    const { db, clock } = ctx.deps;
    const [orgId] = contactRoutes.setEmployer.read(ctx.match);
    const r = setEmployer(db, ctx.from.id, orgId === 0 ? null : orgId, clock.now());
    if (r.kind === "set") await show(ctx, ctx.t("orgs:resident.set", { name: r.organisation.name }));
    else if (r.kind === "cleared") await show(ctx, ctx.t("orgs:resident.cleared"));
    else if (r.kind === "full") await show(ctx, ctx.t("orgs:resident.full"));
    else await answer(ctx, ctx.t("common:stale"), true);
  });

  return composer;
}
