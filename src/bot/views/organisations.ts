import { siteById } from "../../catalog/lookups.ts";
/** Screens of learning organisations, shared by the staff and contact features and their conversations. */
import { InlineKeyboard } from "grammy";
import { loadTargets } from "../../catalog/catalog-schema.ts";
import type { Db } from "../../db/connection.ts";
import { listMembers } from "../../organisations/members.ts";
import { organisationRates } from "../../organisations/rates.ts";
import { getOrganisation, organisationsOfContact } from "../../organisations/register.ts";
import { staffScope } from "../../staff/access.ts";
import { localParts, zonedTimeToUtc } from "../../time.ts";
import type { BotContext, ConvContext } from "../context.ts";
import { cbRoute, field } from "../../callback-data.ts";

/** Callback data of the staff's organisation screens. */
export const orgRoutes = {
  list: cbRoute("org:l"),
  register: cbRoute("org:new"),
  view: cbRoute("org:v", field.id),
  invite: cbRoute("org:inv", field.id),
  employees: cbRoute("org:emp", field.id),
};

/** Callback data of a contact's screens (`mo:`, by member id) and a resident's employer (`wk:`). */
export const contactRoutes = {
  home: cbRoute("mo:h"),
  add: cbRoute("mo:add", field.id),
  member: cbRoute("mo:m", field.id),
  courses: cbRoute("mo:c", field.id),
  course: cbRoute("mo:e", field.id, field.id),
  /** Member, course, and "x" once a clash was accepted. */
  enrol: cbRoute("mo:ok", field.id, field.id, field.optional(field.oneOf("x"))),
  left: cbRoute("mo:x", field.id),
  askEmployer: cbRoute("wk:q", field.id),
  setEmployer: cbRoute("wk:s", field.id),
};

type Ctx = BotContext | ConvContext;
export interface OrgScreen {
  text: string;
  keyboard?: InlineKeyboard;
}

const pct = (n: number | null) => (n === null ? "—" : `${Math.round(n * 100)}%`);
export const escHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Button labels are not HTML: user text goes in as typed, cut to fit. */
export const rawLabel = { interpolation: { escapeValue: false } } as const;

/** The start of the school's current calendar year, in UTC. */
export function yearStartOf(ctx: Ctx): Date {
  const { clock, config } = ctx.deps;
  const year = localParts(clock.now(), config.timezone).year;
  return zonedTimeToUtc(`${year}-01-01`, "00:00", config.timezone);
}

/** employee_continuing_education_rate from targets.yaml (read each time: staff may edit it). */
export function employeeTarget(ctx: Ctx): number {
  try {
    return loadTargets(ctx.deps.config.targetsPath).employee_continuing_education_rate;
  } catch (err) {
    ctx.log.warn({ err }, "could not read the targets; using 50 %");
    return 0.5;
  }
}

/** May this staff member manage organisations of this site? */
export function canManageSite(db: Db, userId: number, siteId: number): boolean {
  const scope = staffScope(db, userId);
  return scope.allSites || scope.siteIds.includes(siteId);
}

/** /orgs: the district rate and each organisation of the caller's sites, lowest rate first. */
export function orgListScreen(ctx: Ctx): OrgScreen {
  const { db, clock } = ctx.deps;
  const scope = staffScope(db, ctx.account?.id ?? 0);
  const target = employeeTarget(ctx);
  const r = organisationRates(db, {
    yearStart: yearStartOf(ctx),
    now: clock.now(),
    siteIds: scope.allSites ? undefined : scope.siteIds,
  });
  const kb = new InlineKeyboard();
  const parts = [ctx.t("orgs:staff.title")];
  if (r.organisations.length === 0) parts.push(ctx.t("orgs:staff.none"));
  else {
    parts.push(
      ctx.t("orgs:staff.district", {
        rate: pct(r.rate),
        target: pct(target),
        trained: r.trained,
        employees: r.employees,
      }),
      "",
    );
    for (const o of r.organisations.slice(0, 30)) {
      const line = {
        mark: o.rate >= target ? "✅" : "⚠️",
        site: o.siteCode,
        trained: o.trained,
        employees: o.employees,
        rate: pct(o.rate),
      };
      parts.push(ctx.t("orgs:line", { ...line, name: o.name }));
      kb.text(ctx.t("orgs:line", { ...line, name: o.name, ...rawLabel }), orgRoutes.view.data(o.id)).row();
    }
  }
  kb.text(ctx.t("orgs:staff.register"), orgRoutes.register.data());
  return { text: parts.join("\n"), keyboard: kb };
}

/** One organisation for staff: contact, employees, people, rate; invite and edit buttons. */
export function orgDetailScreen(ctx: Ctx, orgId: number): OrgScreen {
  const { db, clock } = ctx.deps;
  const org = getOrganisation(db, orgId);
  if (!org) return { text: ctx.t("orgs:staff.notFound") };
  const rate = organisationRates(db, {
    yearStart: yearStartOf(ctx),
    now: clock.now(),
    siteIds: [org.siteId],
  }).organisations.find((o) => o.id === org.id);
  const site = siteById(db, org.siteId) ?? { name_zh: "", name_en: "" };
  const text = ctx.t("orgs:staff.detail", {
    name: org.name,
    kind: ctx.t(`orgs:kind.${org.kind}`),
    site: ctx.locale === "zh" ? site.name_zh : site.name_en,
    contact: org.contactName,
    linked: ctx.t(org.contactUserId === null ? "orgs:staff.notLinked" : "orgs:staff.linked"),
    employees: org.employees,
    members: rate?.members ?? 0,
    trained: rate?.trained ?? 0,
    rate: pct(rate?.rate ?? 0),
    target: pct(employeeTarget(ctx)),
  });
  const kb = new InlineKeyboard()
    .text(ctx.t("orgs:staff.invite"), orgRoutes.invite.data(org.id))
    .row()
    .text(ctx.t("orgs:staff.setEmployees"), orgRoutes.employees.data(org.id))
    .row()
    .text(ctx.t("orgs:contact.back"), orgRoutes.list.data());
  return { text, keyboard: kb };
}

/** /myorg: the contact's organisations, each with its people and rate. */
export function contactScreen(ctx: Ctx): OrgScreen {
  const { db, clock } = ctx.deps;
  const orgs = organisationsOfContact(db, ctx.account?.id ?? 0);
  if (orgs.length === 0) return { text: ctx.t("orgs:contact.notContact") };
  const target = employeeTarget(ctx);
  const ys = yearStartOf(ctx);
  const kb = new InlineKeyboard();
  const parts: string[] = [];
  for (const org of orgs) {
    const members = listMembers(db, org.id, ys, clock.now());
    const trained = members.filter((m) => m.trained).length;
    parts.push(
      ctx.t("orgs:contact.title", {
        name: org.name,
        employees: org.employees,
        members: members.length,
        trained,
        rate: pct(trained / org.employees),
        target: pct(target),
      }),
    );
    if (members.length === 0) parts.push(ctx.t("orgs:contact.noMembers"));
    for (const m of members.slice(0, 40)) {
      const mark = ctx.t(m.trained ? "orgs:contact.trained" : "orgs:contact.notTrained");
      parts.push(ctx.t("orgs:contact.member", { mark, name: m.name }));
      kb.text(
        ctx.t("orgs:contact.member", { mark, name: m.name, ...rawLabel }),
        contactRoutes.member.data(m.id),
      ).row();
    }
    if (members.length > 40) parts.push(ctx.t("orgs:more", { n: members.length - 40 }));
    kb.text(ctx.t("orgs:contact.add"), contactRoutes.add.data(org.id)).row();
    parts.push("");
  }
  parts.push(ctx.t("orgs:contact.legend"));
  return { text: parts.join("\n"), keyboard: kb };
}
