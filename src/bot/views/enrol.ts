import { InlineKeyboard } from "grammy";
import type { EnrolResult } from "../../enrollment/enrol.ts";
import type { Participant } from "../../enrollment/family.ts";
import type { CourseBrief, EnrolConfirmation, EnrolStep } from "../../enrollment/flow.ts";
import { formatDateTime } from "../../i18n/format.ts";
import type { BotContext, ConvContext } from "../context.ts";
import { cbRoute, field } from "../../callback-data.ts";
import { showScreen } from "../views/screen.ts";
import { addEmployerButton } from "../features/organisation-contact.ts";
import { pick } from "../../i18n/bilingual.ts";

/** Callback data of enrolling; each step names the course, the participant ("s" = me) and the flags so far ("-" none). */
export const enrolRoutes = {
  /** "Enrol" on a course card. */
  start: cbRoute("enr", field.id),
  /** "Someone else": always asks who it is for. */
  someoneElse: cbRoute("enr:w", field.id),
  person: cbRoute("enr:p", field.id, field.idOr("s"), field.word),
  addMember: cbRoute("enr:a", field.id),
  confirm: cbRoute("enr:ok", field.id, field.idOr("s"), field.word),
  stop: cbRoute("enr:no"),
  /** A new family member's relation, inside the form that adds them. */
  relation: cbRoute("enr:rel", field.word),
  /** A check-in code and the person checked in. */
  checkin: cbRoute("ci", field.word, field.id),
};

/** Callback data of "My courses", by enrolment id. */
export const mineRoutes = {
  list: cbRoute("my:l"),
  enrolment: cbRoute("my:e", field.id),
  course: cbRoute("my:c", field.id),
  cancel: cbRoute("my:x", field.id),
  cancelYes: cbRoute("my:xx", field.id),
  calendar: cbRoute("my:ics", field.id),
};

/** A message to show: HTML text, maybe buttons; `askPhone` asks for the share-contact step. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboard;
  askPhone?: boolean;
}

type Ctx = BotContext | ConvContext;

/**
 * Flags carried in enrolment callback data, so every step is a plain re-checkable reference:
 * c = consent given, x = clash accepted, s = the confirmation screen promised a free seat.
 */
export function parseFlags(flags: string): { consent: boolean; acceptClash: boolean; promisedSeat: boolean } {
  return {
    consent: flags.includes("c"),
    acceptClash: flags.includes("x"),
    promisedSeat: flags.includes("s"),
  };
}

export function addFlag(flags: string, flag: "c" | "x" | "s"): string {
  const set = new Set(flags.replace("-", "").split("").filter(Boolean));
  set.add(flag);
  return [...set].sort().join("") || "-";
}

/** The flags of a step without the "s" promise (which belongs to one confirmation screen only). */
export const stepFlags = (flags: string): string => flags.replace(/[^cx]/g, "") || "-";

/** Button labels carry user and course text unescaped (Telegram shows them literally). */
export const raw = { interpolation: { escapeValue: false } } as const;

/** The title in the reader's language; the Chinese one when no English title was entered. */
export const titleOf = (ctx: Ctx, c: { titleZh: string; titleEn: string }): string =>
  pick({ zh: c.titleZh, en: c.titleEn }, ctx.locale);

export const when = (ctx: Ctx, at: string | Date): string =>
  formatDateTime(at, ctx.locale, ctx.deps.config.timezone);

function ageRange(c: CourseBrief): string {
  if (c.minAge !== null && c.maxAge !== null) return `${c.minAge}–${c.maxAge}`;
  if (c.minAge !== null) return `${c.minAge}+`;
  return c.maxAge !== null ? `0–${c.maxAge}` : "";
}

/** The first screen: who is this for? */
export function choiceScreen(ctx: Ctx, course: CourseBrief, people: Participant[]): Screen {
  const kb = new InlineKeyboard()
    .text(ctx.t("enrol:choose.me"), enrolRoutes.person.data(course.id, "s", "-"))
    .row();
  for (const p of people.filter((x) => !x.isSelf)) {
    const relation = ctx.t(`codes:relation.${p.relation}`);
    kb.text(
      ctx.t("enrol:choose.member", { name: p.name, relation, ...raw }),
      enrolRoutes.person.data(course.id, p.id, "-"),
    ).row();
  }
  kb.text(ctx.t("enrol:choose.add"), enrolRoutes.addMember.data(course.id)).row();
  kb.text(ctx.t("enrol:choose.cancel"), enrolRoutes.stop.data());
  return { text: ctx.t("enrol:choose.prompt", { title: titleOf(ctx, course) }), keyboard: kb };
}

/** The screen for a chosen participant: the first rule in the way, or the confirmation. */
export function stepScreen(ctx: Ctx, step: EnrolStep, flags: string): Screen {
  if (step.kind === "noCourse") return { text: ctx.t("enrol:noCourse") };
  if (step.kind === "noPerson") return { text: ctx.t("enrol:ineligible.notYours") };
  const { course, person, preview } = step;
  const title = titleOf(ctx, course);
  const name = person.name;
  const ref = person.isSelf ? "s" : person.id;
  const base = stepFlags(flags);
  switch (preview.kind) {
    case "ok": {
      const place = preview.seat
        ? ctx.t("enrol:confirm.seat")
        : ctx.t("enrol:confirm.waitlist", { name, position: preview.position });
      const kb = new InlineKeyboard()
        .text(
          ctx.t("enrol:confirm.ok"),
          enrolRoutes.confirm.data(course.id, ref, preview.seat ? addFlag(base, "s") : base),
        )
        .row()
        .text(ctx.t("resident:enrol.someoneElse"), enrolRoutes.someoneElse.data(course.id))
        .text(ctx.t("enrol:confirm.no"), enrolRoutes.stop.data());
      return {
        text: ctx.t("enrol:confirm.text", { title, name, next: when(ctx, preview.nextSessionAt), place }),
        keyboard: kb,
      };
    }
    case "clash": {
      const list = preview.courses
        .map((c) => ctx.t("enrol:clash.item", { title: titleOf(ctx, c), at: when(ctx, c.at) }))
        .join("\n");
      const kb = new InlineKeyboard()
        .text(ctx.t("enrol:clash.anyway"), enrolRoutes.person.data(course.id, ref, addFlag(base, "x")))
        .row()
        .text(ctx.t("enrol:clash.no"), enrolRoutes.stop.data());
      return {
        text: ctx.t("enrol:clash.text", { name, list, interpolation: { escapeValue: false } }),
        keyboard: kb,
      };
    }
    case "needsConsent": {
      const kb = new InlineKeyboard()
        .text(ctx.t("enrol:consent.yes"), enrolRoutes.person.data(course.id, ref, addFlag(base, "c")))
        .row()
        .text(ctx.t("enrol:consent.no"), enrolRoutes.stop.data());
      return { text: ctx.t("enrol:consent.text", { title, name }), keyboard: kb };
    }
    case "needsPhone":
      return { text: ctx.t("enrol:phone.ask", { title }), askPhone: true };
    case "already":
      return alreadyScreen(ctx, preview, title, name);
    case "ineligible":
      return {
        text: ctx.t(`enrol:ineligible.${preview.reason}`, { title, name, range: ageRange(course) }),
        // Someone else in the family (or a new member) may fit: back to "who is it for?".
        keyboard: new InlineKeyboard()
          .text(ctx.t("enrol:ineligible.other"), enrolRoutes.someoneElse.data(course.id))
          .row()
          .text(ctx.t("enrol:choose.cancel"), enrolRoutes.stop.data()),
      };
    case "closed":
      return {
        text: ctx.t(`enrol:closed.${preview.reason}`, {
          title,
          at: course.opensAt ? when(ctx, course.opensAt) : "",
        }),
      };
    case "notFound":
      return { text: ctx.t("enrol:noCourse") };
  }
}

function alreadyScreen(
  ctx: Ctx,
  r: Extract<EnrolResult, { kind: "already" }>,
  title: string,
  name: string,
): Screen {
  const next = r.nextSessionAt ? when(ctx, r.nextSessionAt) : undefined;
  const kb = new InlineKeyboard().text(ctx.t("enrol:result.mine"), mineRoutes.enrolment.data(r.enrolmentId));
  if (r.status === "enrolled") {
    return { text: ctx.t("enrol:already.enrolled", { title, name, next: next ?? "—" }), keyboard: kb };
  }
  if (r.status === "waitlisted")
    return {
      text: ctx.t("enrol:already.waitlisted", { title, name, position: r.position ?? 0 }),
      keyboard: kb,
    };
  return {
    text: ctx.t("enrol:already.offered", {
      title,
      name,
      until: r.offerExpiresAt ? when(ctx, r.offerExpiresAt) : "—",
    }),
    keyboard: kb,
  };
}

function enrolledScreen(
  ctx: Ctx,
  title: string,
  name: string,
  enrolmentId: number,
  next: string,
  employerCourse?: CourseBrief,
): Screen {
  const kb = new InlineKeyboard()
    .text(ctx.t("enrol:result.calendar"), mineRoutes.calendar.data(enrolmentId))
    .row()
    .text(ctx.t("enrol:result.mine"), mineRoutes.list.data());
  if (employerCourse !== undefined) addEmployerButton(ctx, kb, employerCourse);
  return { text: ctx.t("enrol:result.enrolled", { title, name, next }), keyboard: kb };
}

function waitlistedScreen(ctx: Ctx, title: string, name: string, position: number, changed: boolean): Screen {
  const kb = new InlineKeyboard().text(ctx.t("enrol:result.mine"), mineRoutes.list.data());
  const text = ctx.t("enrol:result.waitlisted", { title, name, position });
  return { text: changed ? `${ctx.t("enrol:result.changed")}\n${text}` : text, keyboard: kb };
}

/**
 * The answer to the confirm press. A repeated press (a double tap, an older confirmation
 * screen) finds the enrolment already made and shows the same success screen again, with the
 * place it has now, so the person never sees a weaker answer than the first.
 */
export function confirmationScreen(
  ctx: Ctx,
  done: Extract<EnrolConfirmation, { kind: "done" }>,
  flags: string,
): Screen {
  const { result, course, person } = done;
  const title = titleOf(ctx, course);
  const name = person.name;
  // Someone enrolling themselves in an employment course may say where they work (optional).
  const employer = person.isSelf ? course : undefined;
  if (result.kind === "enrolled")
    return enrolledScreen(ctx, title, name, result.enrolmentId, when(ctx, result.nextSessionAt), employer);
  if (result.kind === "waitlisted")
    return waitlistedScreen(ctx, title, name, result.position, parseFlags(flags).promisedSeat);
  if (result.kind === "already" && result.status === "enrolled")
    return enrolledScreen(
      ctx,
      title,
      name,
      result.enrolmentId,
      result.nextSessionAt ? when(ctx, result.nextSessionAt) : "—",
      employer,
    );
  if (result.kind === "already" && result.status === "waitlisted")
    return waitlistedScreen(ctx, title, name, result.position ?? 0, false);
  if (result.kind === "already") return alreadyScreen(ctx, result, title, name);
  return stepScreen(ctx, { kind: "preview", course, person, preview: result }, flags);
}

/** Shows a screen: in place of the pressed button's message when there is one, else as a new message. */
export function show(ctx: Ctx, screen: Screen): Promise<void> {
  return showScreen(ctx, screen);
}
