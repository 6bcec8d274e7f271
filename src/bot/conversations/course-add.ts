/**
 * Adding a course in chat: titles (zh, en), category, audience, capacity, site, venue,
 * teacher, weekly schedule, then a summary to confirm. Bulk changes go through the catalog import.
 * Buttons inside use crm:f:<value>.
 */
import { InlineKeyboard } from "grammy";
import { AUDIENCES, CATEGORIES } from "../../catalog/codes.ts";
import { venuesOfSite } from "../../catalog/lookups.ts";
import type { WeeklySchedule } from "../../catalog/schedule.ts";
import { parseWeekly } from "../../catalog/schedule.ts";
import { cleanName, getAccount } from "../../people/accounts.ts";
import { managedSites, staffScope } from "../../staff/access.ts";
import { createCourse } from "../../staff/courses.ts";
import { findUser } from "../../staff/grants.ts";
import type { ConvContext } from "../context.ts";
import type { LifelongConversation } from "../context.ts";
import { courseAdminRoutes } from "../../messages/staff-routes.ts";
import { cb } from "../menu.ts";
import { askOptionalText, waitButton, waitText } from "./staff-wait.ts";
import { pick } from "../../i18n/bilingual.ts";

function grid(items: { text: string; data: string }[], perRow = 2): InlineKeyboard {
  const kb = new InlineKeyboard();
  items.forEach((it, i) => {
    kb.text(it.text, it.data);
    if (i % perRow === perRow - 1) kb.row();
  });
  return kb;
}

export async function courseAdd(conversation: LifelongConversation, ctx: ConvContext): Promise<void> {
  const userId = ctx.account?.id ?? 0;
  const sites = await conversation.external((c: ConvContext) => managedSites(c.deps.db, userId));
  if (!sites) {
    await ctx.reply(ctx.t("staff:denied"));
    return;
  }
  if (sites.length === 0) {
    await ctx.reply(ctx.t("staff:crm.add.noSites"));
    return;
  }
  const ask = async (key: string) => {
    await ctx.reply(ctx.t(key), { parse_mode: "HTML" });
    for (;;) {
      const text = cleanName((await waitText(conversation, ctx.t(key))).message?.text ?? "", 120);
      if (text) return text;
    }
  };
  const titleZh = await ask("staff:crm.add.titleZh");
  // Optional: English screens show it; without one they show the Chinese title.
  const titleEn =
    (await askOptionalText(conversation, ctx, ctx.t("staff:crm.add.titleEn"), "crm:skipEn", (s) =>
      cleanName(s, 120),
    )) ?? titleZh;

  await ctx.reply(ctx.t("staff:crm.add.category"), {
    reply_markup: grid(
      CATEGORIES.map((c) => ({ text: ctx.t(`codes:category.${c}`), data: cb("crm", "f", c) })),
    ),
  });
  const category = (await waitButton(conversation, /^crm:f:(\w+)$/, ctx.t("staff:crm.add.useButtons")))
    .match[1]!;
  await ctx.reply(ctx.t("staff:crm.add.audience"), {
    reply_markup: grid(
      AUDIENCES.map((a) => ({ text: ctx.t(`codes:audience.${a}`), data: cb("crm", "f", a) })),
    ),
  });
  const audience = (await waitButton(conversation, /^crm:f:(\w+)$/, ctx.t("staff:crm.add.useButtons")))
    .match[1]!;

  await ctx.reply(ctx.t("staff:crm.add.capacity"));
  let capacity = 0;
  for (;;) {
    const text = (await waitText(conversation, ctx.t("staff:crm.add.capacity"))).message?.text?.trim() ?? "";
    if (/^\d{1,4}$/.test(text) && Number(text) > 0) {
      capacity = Number(text);
      break;
    }
    await ctx.reply(ctx.t("staff:crm.add.capacity"));
  }

  let siteId = sites[0]!.id;
  if (sites.length > 1) {
    await ctx.reply(ctx.t("staff:crm.add.site"), {
      reply_markup: grid(
        sites.map((s) => ({
          text: pick({ zh: s.name_zh, en: s.name_en }, ctx.locale),
          data: cb("crm", "f", s.id),
        })),
        1,
      ),
    });
    const picked = Number(
      (await waitButton(conversation, /^crm:f:(\d+)$/, ctx.t("staff:crm.add.useButtons"))).match[1],
    );
    if (sites.some((s) => s.id === picked)) siteId = picked;
  }
  const venues = await conversation.external((c: ConvContext) => venuesOfSite(c.deps.db, siteId));
  let venueId: number | null = null;
  if (venues.length > 0) {
    const items = venues.map((v) => ({
      text: pick({ zh: v.name_zh, en: v.name_en }, ctx.locale),
      data: cb("crm", "f", v.id),
    }));
    await ctx.reply(ctx.t("staff:crm.add.venue"), {
      reply_markup: grid([...items, { text: ctx.t("staff:crm.add.noVenue"), data: "crm:f:0" }], 1),
    });
    const picked = Number(
      (await waitButton(conversation, /^crm:f:(\d+)$/, ctx.t("staff:crm.add.useButtons"))).match[1],
    );
    venueId = venues.some((v) => v.id === picked) ? picked : null;
  }
  const teacher = await ask("staff:crm.add.teacher");
  // "@username" or a Telegram id links a teacher account, who then sees the roster.
  const linked = await conversation.external((c: ConvContext) => {
    if (!/^@\w+$|^\d+$/.test(teacher)) return null;
    const id = findUser(c.deps.db, teacher);
    if (id === undefined) return null;
    const name = getAccount(c.deps.db, id)?.firstName as string;
    return { id, name };
  });
  const teacherName = linked ? linked.name : teacher === "-" ? "" : teacher;
  const teacherUserId = linked ? linked.id : null;

  await ctx.reply(ctx.t("staff:crm.add.schedule"), { parse_mode: "HTML" });
  let schedule: WeeklySchedule;
  for (;;) {
    const parsed = parseWeekly(
      (await waitText(conversation, ctx.t("staff:crm.add.schedule"))).message?.text ?? "",
    );
    if (parsed) {
      schedule = parsed;
      break;
    }
    await ctx.reply(ctx.t("staff:crm.add.schedule"), { parse_mode: "HTML" });
  }

  const summary = ctx.t("staff:crm.add.confirm", {
    titleZh,
    titleEn,
    category: ctx.t(`codes:category.${category}`),
    audience: ctx.t(`codes:audience.${audience}`),
    capacity,
    teacher: teacherName || "—",
    schedule: `${schedule.start} ${schedule.weekdays.join(",")} ${schedule.time} ${schedule.duration_minutes}′ ×${schedule.weeks}`,
  });
  await ctx.reply(summary, {
    parse_mode: "HTML",
    reply_markup: new InlineKeyboard()
      .text(ctx.t("staff:crm.add.create"), "crm:f:yes")
      .text(ctx.t("staff:broadcast.cancel"), "crm:f:no"),
  });
  const yes = await waitButton(conversation, /^crm:f:(yes|no)$/, ctx.t("staff:crm.add.useButtons"));
  if (yes.match[1] !== "yes") {
    await ctx.reply(ctx.t("common:cancel.done"));
    return;
  }
  const id = await conversation.external((c: ConvContext) => {
    const scope = staffScope(c.deps.db, userId);
    if (!scope.allSites && !scope.siteIds.includes(siteId)) return null;
    return createCourse(
      c.deps.db,
      userId,
      {
        titleZh,
        titleEn,
        category,
        audiences: [audience],
        capacity,
        siteId,
        venueId,
        teacherName,
        teacherUserId,
        schedule,
      },
      c.deps.config.timezone,
      c.deps.clock.now(),
    );
  });
  if (id === null) {
    await ctx.reply(ctx.t("staff:denied"));
    return;
  }
  await ctx.reply(ctx.t("staff:crm.add.created", { title: pick({ zh: titleZh, en: titleEn }, ctx.locale) }), {
    reply_markup: new InlineKeyboard().text(ctx.t("staff:crm.open"), courseAdminRoutes.course.data(id)),
  });
}
