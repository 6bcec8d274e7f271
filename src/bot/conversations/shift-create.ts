/**
 * Staff create a volunteer shift in chat: title, site, venue, date, times, how many, skills and
 * optionally the course it serves. The first batch of volunteers is pinged when it is saved.
 */
import { InlineKeyboard } from "grammy";
import { listSites, openCoursesAtSite, venuesOfSite } from "../../catalog/lookups.ts";
import { isValidDate, isValidTime } from "../../catalog/schedule.ts";
import { formatDate } from "../../i18n/format.ts";
import { isStaff } from "../../people/roles.ts";
import { cutText } from "../../text.ts";
import { addDays, localDate, zonedTimeToUtc } from "../../time.ts";
import { shiftCard } from "../../messages/volunteer-format.ts";
import { createShift } from "../../volunteers/shifts.ts";
import { skillList } from "../../volunteers/skills.ts";
import type { ConvContext } from "../context.ts";
import { answer, cb } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";
import { askOptionalText } from "./staff-wait.ts";
import { waitAnswer } from "./volunteer-wait.ts";
import { pick as pickText } from "../../i18n/bilingual.ts";

interface Option {
  id: number;
  label: string;
}

async function pick(
  conversation: LifelongConversation,
  ctx: ConvContext,
  prompt: string,
  tag: string,
  options: Option[],
  none?: string,
): Promise<number> {
  const kb = new InlineKeyboard();
  options.forEach((o, i) => {
    kb.text(o.label, cb("shf", tag, o.id));
    if (i % 2 === 1) kb.row();
  });
  if (none) kb.row().text(none, cb("shf", tag, 0));
  await ctx.reply(prompt, { reply_markup: kb });
  for (;;) {
    const c = await waitAnswer(conversation, { prefixes: [`shf:${tag}:`], hint: prompt });
    const id = Number(c.callbackQuery?.data?.split(":")[2]);
    await answer(c);
    if (id === 0 && none) return 0;
    if (options.some((o) => o.id === id)) return id;
  }
}

async function askText(
  conversation: LifelongConversation,
  ctx: ConvContext,
  prompt: string,
  valid: (s: string) => boolean,
): Promise<string> {
  await ctx.reply(prompt, { parse_mode: "HTML" });
  for (;;) {
    const c = await waitAnswer(conversation, { text: true, hint: prompt });
    const text = (c.message?.text ?? "").trim();
    if (valid(text)) return text;
    await c.reply(`${ctx.t("volunteer:newShift.invalid")}\n${prompt}`, { parse_mode: "HTML" });
  }
}

export async function shiftCreate(conversation: LifelongConversation, ctx: ConvContext): Promise<void> {
  const userId = ctx.from?.id ?? 0;
  const setup = await conversation.external((c) => {
    const db = c.deps.db;
    return {
      staff: isStaff(db, userId),
      today: localDate(c.deps.clock.now(), c.deps.config.timezone),
      sites: listSites(db).map(
        (s): Option => ({ id: s.id, label: pickText({ zh: s.name_zh, en: s.name_en }, c.locale) }),
      ),
      skills: skillList(c.deps.config, c.log).map((s) => ({ code: s.code, label: s[c.locale] })),
    };
  });
  if (!setup.staff) {
    await ctx.reply(ctx.t("volunteer:staffOnly"));
    return;
  }
  if (setup.sites.length === 0) {
    await ctx.reply(ctx.t("volunteer:newShift.noSites"));
    return;
  }
  const title = Array.from(
    await askText(
      conversation,
      ctx,
      ctx.t("volunteer:newShift.askTitle"),
      (s) => s.length > 0 && Array.from(s).length <= 100,
    ),
  ).join("");
  // The title in the other language is optional: a screen without it shows the one typed.
  const other = await askOptionalText(
    conversation,
    ctx,
    ctx.t(ctx.locale === "zh" ? "staff:shiftTitle.en" : "staff:shiftTitle.zh"),
    "shf:skipTitle",
    (s) => cutText(s.trim(), 100, ""),
  );
  const titleZh = ctx.locale === "zh" ? title : (other ?? title);
  const titleEn = ctx.locale === "zh" ? (other ?? title) : title;
  const siteId =
    setup.sites.length === 1
      ? setup.sites[0]!.id
      : await pick(conversation, ctx, ctx.t("volunteer:newShift.askSite"), "st", setup.sites);
  const venues = await conversation.external((c) =>
    venuesOfSite(c.deps.db, siteId).map(
      (v): Option => ({ id: v.id, label: pickText({ zh: v.name_zh, en: v.name_en }, c.locale) }),
    ),
  );
  const venueId = venues.length
    ? await pick(
        conversation,
        ctx,
        ctx.t("volunteer:newShift.askVenue"),
        "vn",
        venues,
        ctx.t("volunteer:newShift.noVenue"),
      )
    : 0;

  // Date: a button for each of the next 14 days, or typed.
  const days = Array.from({ length: 14 }, (_, i) => addDays(setup.today, i + 1));
  const dateKb = new InlineKeyboard();
  days.forEach((d, i) => {
    dateKb.text(
      formatDate(zonedTimeToUtc(d, "12:00", ctx.deps.config.timezone), ctx.locale, ctx.deps.config.timezone),
      cb("shf", "dt", d),
    );
    if (i % 2 === 1) dateKb.row();
  });
  await ctx.reply(ctx.t("volunteer:newShift.askDate"), { reply_markup: dateKb });
  let date = "";
  while (!date) {
    const c = await waitAnswer(conversation, {
      text: true,
      prefixes: ["shf:dt:"],
      hint: ctx.t("volunteer:newShift.askDate"),
    });
    await answer(c);
    const value = c.callbackQuery?.data?.slice("shf:dt:".length) ?? (c.message?.text ?? "").trim();
    if (isValidDate(value) && value > setup.today) date = value;
    else await c.reply(ctx.t("volunteer:newShift.invalid"));
  }
  const start = await askText(conversation, ctx, ctx.t("volunteer:newShift.askStart"), isValidTime);
  const end = await askText(
    conversation,
    ctx,
    ctx.t("volunteer:newShift.askEnd"),
    (s) => isValidTime(s) && s > start,
  );
  const needed = Number(
    await askText(
      conversation,
      ctx,
      ctx.t("volunteer:newShift.askNeeded"),
      (s) => /^\d{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 50,
    ),
  );

  const skills = new Set<string>();
  const skillsKb = () => {
    const kb = new InlineKeyboard();
    setup.skills.forEach((s, i) => {
      kb.text(skills.has(s.code) ? `✅ ${s.label}` : s.label, cb("shf", "sk", s.code));
      if (i % 2 === 1) kb.row();
    });
    return kb.row().text(ctx.t("volunteer:form.done"), cb("shf", "skd"));
  };
  if (setup.skills.length) {
    await ctx.reply(ctx.t("volunteer:newShift.askSkills"), { reply_markup: skillsKb() });
    for (;;) {
      const c = await waitAnswer(conversation, {
        prefixes: ["shf:sk"],
        hint: ctx.t("volunteer:newShift.askSkills"),
      });
      const data = c.callbackQuery?.data ?? "";
      await answer(c);
      if (data === "shf:skd") break;
      const code = data.slice("shf:sk:".length);
      if (setup.skills.some((s) => s.code === code))
        skills.has(code) ? skills.delete(code) : skills.add(code);
      await c.editMessageReplyMarkup({ reply_markup: skillsKb() }).catch(() => undefined);
    }
  }

  const courses = await conversation.external((c) =>
    openCoursesAtSite(c.deps.db, siteId, 10).map(
      (o): Option => ({ id: o.id, label: pickText({ zh: o.title_zh, en: o.title_en }, c.locale) }),
    ),
  );
  const courseId = courses.length
    ? await pick(
        conversation,
        ctx,
        ctx.t("volunteer:newShift.askCourse"),
        "cs",
        courses,
        ctx.t("volunteer:newShift.noCourse"),
      )
    : 0;

  const tz = ctx.deps.config.timezone;
  const input = {
    titleZh,
    titleEn,
    siteId,
    venueId: venueId || null,
    courseId: courseId || null,
    startsAt: zonedTimeToUtc(date, start, tz).toISOString(),
    endsAt: zonedTimeToUtc(date, end, tz).toISOString(),
    needed,
    skills: [...skills],
  };
  const preview = await conversation.external((c) =>
    shiftCard(c.deps.db, c.deps.config, c.t, c.locale, {
      ...input,
      id: 0,
      code: null,
      status: "open",
      checkinCode: "",
      escalatedAt: null,
    }),
  );
  await ctx.reply(
    `${preview}\n${ctx.t("volunteer:newShift.needed", { needed })}\n\n${ctx.t("volunteer:newShift.confirm")}`,
    {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard()
        .text(ctx.t("volunteer:newShift.create"), cb("shf", "new", "y"))
        .text(ctx.t("volunteer:newShift.discard"), cb("shf", "new", "n")),
    },
  );
  const c = await waitAnswer(conversation, {
    prefixes: ["shf:new:"],
    hint: ctx.t("volunteer:newShift.confirm"),
  });
  await answer(c);
  if (c.callbackQuery?.data !== "shf:new:y") {
    await c.reply(ctx.t("volunteer:newShift.discarded"));
    return;
  }
  const result = await conversation.external((x) =>
    createShift(
      x.deps.db,
      userId,
      { ...input, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt) },
      tz,
      x.deps.clock.now(),
    ),
  );
  if (!result.ok) {
    await c.reply(ctx.t(`volunteer:newShift.failed.${result.reason}`));
    return;
  }
  await c.reply(ctx.t("volunteer:newShift.created", { pinged: result.pinged.length }));
}
