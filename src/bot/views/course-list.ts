import { InlineKeyboard } from "grammy";
import { CATEGORIES, DAY_SLOTS, WEEKDAYS } from "../../catalog/codes.ts";
import type { CourseFilter, CourseView, Page } from "../../catalog/queries.ts";
import { AUDIENCE_GROUPS, listCourses, paginate } from "../../catalog/queries.ts";
import type { SearchResult } from "../../catalog/search.ts";
import { searchCourses } from "../../catalog/search.ts";
import {
  audienceGroupCounts,
  categoryCounts,
  siteCounts,
  siteName,
  timeCounts,
} from "../../catalog/search-facets.ts";
import { canonicalQuery, normalize, parseQuery } from "../../catalog/search-parse.ts";
import { graphemeLength } from "../../text.ts";
import { topicForText } from "../../feedback/wish-topics.ts";
import { formatTime } from "../../i18n/format.ts";
import { localParts } from "../../time.ts";
import { distinctLabels } from "../labels.ts";
import type { ConvContext } from "../context.ts";
import { wishRoutes } from "../../messages/feedback.ts";
import { cbRoute, field } from "../../callback-data.ts";
import { escapeHtml } from "../../telegram-html.ts";
import { pick } from "../../i18n/bilingual.ts";
import { cutText } from "../../text.ts";

/** Callback data of finding a course: the menus, a page of a list, a card opened from a list. */
export const courseRoutes = {
  menu: cbRoute("crs:m"),
  searchHint: cbRoute("crs:m:q"),
  /** For whom (a), by day (d), by site (s), by topic (c). */
  dimension: cbRoute("crs:m", field.oneOf("c", "a", "d", "s")),
  /** Page, and the list's ref (see ListRef). */
  list: cbRoute("crs:l", field.id, field.text),
  /** Course, the page of the list it was opened from, that list's ref. */
  card: cbRoute("crs:c", field.id, field.id, field.text),
};

/**
 * Which list a screen shows, as it travels in callback data (`crs:l:<page>:<ref>`):
 * c.<category> · a.<audience group> · d.<weekday 0-6> · t.<slot 0-2> · s.<site id> · e (lectures
 * and events) · q.<search text>. The search text is cut so that a card's data stays within 64 bytes.
 */
export type ListRef =
  | { type: "c"; category: string }
  | { type: "a"; group: string }
  | { type: "d"; weekday: number }
  | { type: "t"; slot: 0 | 1 | 2 }
  | { type: "s"; siteId: number }
  | { type: "e" }
  | { type: "q"; text: string };

export interface Screen {
  text: string;
  reply_markup: InlineKeyboard;
}

/** The longest search text, in bytes, that keeps `crs:c:<id>:<page>:q.<text>` within 64 bytes. */
const MAX_QUERY_BYTES = 44;

/** Cuts a search text at a character boundary so that it fits in callback data. */
export function fitQuery(text: string): string {
  let out = "";
  for (const ch of text.replace(/\s+/g, " ").trim()) {
    if (Buffer.byteLength(out + ch) > MAX_QUERY_BYTES) break;
    out += ch;
  }
  return out.trim();
}

export function encodeRef(ref: ListRef): string {
  switch (ref.type) {
    case "c":
      return `c.${ref.category}`;
    case "a":
      return `a.${ref.group}`;
    case "d":
      return `d.${ref.weekday}`;
    case "t":
      return `t.${ref.slot}`;
    case "s":
      return `s.${ref.siteId}`;
    case "e":
      return "e";
    case "q":
      return `q.${fitQuery(ref.text)}`;
  }
}

/** Reads a list reference from callback data; undefined for anything malformed or forged. */
export function decodeRef(token: string): ListRef | undefined {
  if (token === "e") return { type: "e" };
  const m = /^([cadtsq])\.(.+)$/s.exec(token);
  if (!m) return undefined;
  const [, type, value = ""] = m;
  if (type === "q") return value.trim() ? { type, text: value } : undefined;
  if (type === "c") return /^[a-z_]{1,30}$/.test(value) ? { type, category: value } : undefined;
  if (type === "a") return Object.hasOwn(AUDIENCE_GROUPS, value) ? { type, group: value } : undefined;
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  if (type === "d") return n <= 6 ? { type, weekday: n } : undefined;
  if (type === "t") return n <= 2 ? { type, slot: n as 0 | 1 | 2 } : undefined;
  return { type: "s", siteId: n };
}

function filterOf(ref: Exclude<ListRef, { type: "q" }>): CourseFilter {
  switch (ref.type) {
    case "c":
      return { category: ref.category };
    case "a":
      return { audiences: AUDIENCE_GROUPS[ref.group] ?? [] };
    case "d":
      return { weekday: ref.weekday };
    case "t":
      return { slot: ref.slot };
    case "s":
      return { siteId: ref.siteId };
    case "e":
      return { eventsOnly: true };
  }
}

/** Where Back goes from a list: the menu it was picked from. */
function menuOf(ref: ListRef): string {
  // Topics are on the top menu itself.
  const dim: Record<ListRef["type"], "a" | "d" | "s" | ""> = {
    c: "",
    a: "a",
    d: "d",
    t: "d",
    s: "s",
    e: "",
    q: "",
  };
  const to = dim[ref.type];
  return to ? courseRoutes.dimension.data(to) : courseRoutes.menu.data();
}

/**
 * The top of course browsing: the topics themselves (a course is two taps away: topic, then
 * course), then one button per other way of looking.
 */
export function renderBrowseMenu(ctx: ConvContext): Screen {
  const kb = new InlineKeyboard();
  categoryCounts(ctx.deps.db, ctx.deps.clock.now()).forEach(({ category, count }, i) => {
    const known = (CATEGORIES as readonly string[]).includes(category);
    const label = ctx.t("courses:dim.count", {
      label: known ? ctx.t(`codes:category.${category}`) : category,
      count,
      interpolation: { escapeValue: false },
    });
    kb.text(label, courseRoutes.list.data(0, `c.${category}`));
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text(ctx.t("courses:menu.forWhom"), courseRoutes.dimension.data("a"))
    .text(ctx.t("courses:menu.byDay"), courseRoutes.dimension.data("d"))
    .row()
    .text(ctx.t("courses:menu.bySite"), courseRoutes.dimension.data("s"))
    .text(ctx.t("courses:menu.events"), courseRoutes.list.data(0, "e"))
    .row()
    .text(ctx.t("courses:menu.search"), courseRoutes.searchHint.data());
  return { text: ctx.t("courses:menu.title"), reply_markup: kb };
}

/** The second level: topics, audiences, days or sites, each with its number of courses. */
export function renderDimensionMenu(ctx: ConvContext, dim: string): Screen | undefined {
  const { db, clock, config } = ctx.deps;
  const now = clock.now();
  const label = (text: string, count: number) =>
    ctx.t("courses:dim.count", { label: text, count, interpolation: { escapeValue: false } });
  const options: Array<{ text: string; data: string }> = [];
  let title: string;
  if (dim === "c") {
    title = ctx.t("courses:dim.topic");
    for (const { category, count } of categoryCounts(db, now)) {
      const known = (CATEGORIES as readonly string[]).includes(category);
      options.push({
        text: label(known ? ctx.t(`codes:category.${category}`) : category, count),
        data: courseRoutes.list.data(0, `c.${category}`),
      });
    }
  } else if (dim === "a") {
    title = ctx.t("courses:dim.who");
    for (const { group, count } of audienceGroupCounts(db, now)) {
      options.push({
        text: label(ctx.t(`courses:who.${group}`), count),
        data: courseRoutes.list.data(0, `a.${group}`),
      });
    }
  } else if (dim === "d") {
    title = ctx.t("courses:dim.day");
    const counts = timeCounts(db, now, config.timezone);
    counts.weekdays.forEach((count, d) => {
      if (count > 0)
        options.push({
          text: label(ctx.t(`codes:weekday.${WEEKDAYS[d]}`), count),
          data: courseRoutes.list.data(0, `d.${d}`),
        });
    });
    counts.slots.forEach((count, s) => {
      if (count > 0)
        options.push({
          text: label(ctx.t(`codes:slot.${DAY_SLOTS[s]}`), count),
          data: courseRoutes.list.data(0, `t.${s}`),
        });
    });
  } else if (dim === "s") {
    title = ctx.t("courses:dim.site");
    for (const site of siteCounts(db, now)) {
      options.push({
        text: label(pick(site.name, ctx.locale), site.count),
        data: courseRoutes.list.data(0, `s.${site.id}`),
      });
    }
  } else return undefined;
  const kb = new InlineKeyboard();
  // Site names are long: one a row; the rest fit two a row on a phone.
  const perRow = dim === "s" ? 1 : 2;
  options.forEach((o, i) => {
    kb.text(o.text, o.data);
    if (i % perRow === perRow - 1) kb.row();
  });
  kb.row().text(ctx.t("common:back"), courseRoutes.menu.data());
  return { text: options.length > 0 ? title : `${title}\n${ctx.t("courses:dim.none")}`, reply_markup: kb };
}

/** A phone shows about 20 Chinese or 32 Latin characters on a full-width button. */
const titleRoom = (ctx: ConvContext): number => (ctx.locale === "zh" ? 18 : 30);

/** "老年书画班 · 周二 09:00 · 可报名": what a list button says about a course. */
export function courseButtonLabel(ctx: ConvContext, view: CourseView, shortTitle?: string): string {
  const tz = ctx.deps.config.timezone;
  const next = view.availability.nextSessionAt;
  const when = next
    ? `${ctx.t(`codes:weekday.${WEEKDAYS[localParts(new Date(next), tz).weekday] ?? "mon"}`)} ${formatTime(next, ctx.locale, tz)}`
    : ctx.t("courses:list.noDate");
  return ctx.t("courses:list.button", {
    title: shortTitle ?? cutText(pick(view.title, ctx.locale), titleRoom(ctx)),
    when,
    state: ctx.t(`courses:stateShort.${view.availability.state}`),
    interpolation: { escapeValue: false },
  });
}

function listKeyboard(ctx: ConvContext, page: Page<CourseView>, token: string, back: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  // Two courses whose titles start alike must not get the same button.
  const titles = distinctLabels(
    page.items.map((v) => ({ title: pick(v.title, ctx.locale) })),
    titleRoom(ctx),
  );
  for (const [i, view] of page.items.entries())
    kb.text(courseButtonLabel(ctx, view, titles[i]), courseRoutes.card.data(view.id, page.page, token)).row();
  if (page.page > 0) kb.text(ctx.t("courses:list.prev"), courseRoutes.list.data(page.page - 1, token));
  if (page.page < page.pages - 1)
    kb.text(ctx.t("courses:list.next"), courseRoutes.list.data(page.page + 1, token));
  return kb.row().text(ctx.t("common:back"), back);
}

/** The list's name as HTML: category names such as "Calligraphy & painting" carry a bare "&". */
function listTitle(ctx: ConvContext, ref: Exclude<ListRef, { type: "q" }>): string {
  switch (ref.type) {
    case "c":
      return escapeHtml(ctx.t(`codes:category.${ref.category}`, { defaultValue: ref.category }));
    case "a":
      return escapeHtml(ctx.t(`courses:who.${ref.group}`));
    case "d":
      return ctx.t("courses:list.day", { day: ctx.t(`codes:weekday.${WEEKDAYS[ref.weekday]}`) });
    case "t":
      return ctx.t("courses:list.slot", { slot: ctx.t(`codes:slot.${DAY_SLOTS[ref.slot]}`) });
    case "s": {
      const name = siteName(ctx.deps.db, ref.siteId);
      return name ? escapeHtml(pick(name, ctx.locale)) : "";
    }
    case "e":
      return escapeHtml(ctx.t("courses:list.events"));
  }
}

/** What the search understood, for the line under the query: "书法 · 7岁 · 周末". */
function understoodParts(ctx: ConvContext, result: SearchResult): string {
  const q = result.query;
  const parts: string[] = [...q.topics.map((t) => t.word), ...q.terms];
  if (q.age !== null) parts.push(ctx.t("courses:search.age", { age: q.age }));
  else if (q.who) parts.push(ctx.t(`courses:search.${q.who}`));
  const days = q.weekdays?.join(",");
  if (days === "5,6") parts.push(ctx.t("courses:search.weekend"));
  else if (days === "0,1,2,3,4") parts.push(ctx.t("courses:search.workdays"));
  else if (q.weekdays) parts.push(...q.weekdays.map((d) => ctx.t(`codes:weekday.${WEEKDAYS[d]}`)));
  if (q.slots) parts.push(...q.slots.map((s) => ctx.t(`codes:slot.${DAY_SLOTS[s]}`)));
  return escapeHtml(parts.join(" · "));
}

function renderSearch(ctx: ConvContext, typed: string, page: number): Screen {
  const { db, clock, config } = ctx.deps;
  // Search what fits in callback data, so that Prev/Next and Back show exactly the same list;
  // a long message is boiled down to the words that matter first.
  const squeezed = typed.replace(/\s+/g, " ").trim();
  const text = fitQuery(
    squeezed === fitQuery(squeezed) ? squeezed : canonicalQuery(parseQuery(squeezed)) || squeezed,
  );
  const result = searchCourses(db, text, clock.now(), config.timezone);
  const token = `q.${text}`;
  const header = ctx.t("courses:search.header", { q: text });
  if (result.understood && (result.hits.length === 0 || result.dropped.includes("topic")))
    return renderNoMatch(ctx, text);
  if (!result.understood || result.hits.length === 0) {
    const menu = renderBrowseMenu(ctx);
    const why = ctx.t(result.understood ? "courses:search.none" : "courses:search.notUnderstood");
    return { text: `${header}\n${why}`, reply_markup: menu.reply_markup };
  }
  const p = paginate(
    result.hits.map((h) => h.course),
    page,
  );
  const lines = [
    header,
    ctx.t("courses:search.understood", {
      parts: understoodParts(ctx, result),
      interpolation: { escapeValue: false },
    }),
  ];
  const nums = { page: p.page + 1, pages: p.pages, count: p.total };
  if (result.alternatives) {
    const dropped = result.dropped
      .map((d) => ctx.t(`courses:search.dropped.${d}`))
      .join(ctx.t("common:listSep"));
    lines.push(ctx.t("courses:search.alternatives", { ...nums, dropped }));
  } else lines.push(ctx.t("courses:search.found", nums));
  return { text: lines.join("\n"), reply_markup: listKeyboard(ctx, p, token, courseRoutes.menu.data()) };
}

/**
 * The one course a typed text names: the text (at least two characters) is part of exactly
 * one listed course's title. Typing a course's name then opens its card straight away, with
 * Back to every result; anything vaguer gets the list.
 */
export function namedCourse(ctx: ConvContext, typed: string): { id: number; back: string } | undefined {
  const { db, clock, config } = ctx.deps;
  const text = fitQuery(typed.replace(/\s+/g, " ").trim());
  const words = normalize(text);
  if (graphemeLength(words) < 2) return undefined;
  const result = searchCourses(db, text, clock.now(), config.timezone);
  if (!result.understood || result.alternatives) return undefined;
  const named = result.hits.filter((h) =>
    normalize(`${h.course.title.zh} ${h.course.title.en}`).includes(words),
  );
  const only = named.length === 1 ? named[0] : undefined;
  return only ? { id: only.course.id, back: courseRoutes.list.data(0, `q.${text}`) } : undefined;
}

/**
 * Nothing is about what was asked: say so, point to the closest topic when there is one, and
 * offer to record the wish in the person's own words (staff see wishes add up).
 */
function renderNoMatch(ctx: ConvContext, text: string): Screen {
  const near = topicForText(text);
  const count =
    near === "other"
      ? 0
      : (categoryCounts(ctx.deps.db, ctx.deps.clock.now()).find((c) => c.category === near)?.count ?? 0);
  const label = count > 0 ? ctx.t(`codes:category.${near}`) : "";
  const lines = [ctx.t("courses:search.header", { q: text }), ctx.t("resident:search.none", { q: text })];
  if (label) lines.push(ctx.t("resident:search.nearest", { category: label }));
  const kb = new InlineKeyboard();
  if (label)
    kb.text(
      ctx.t("courses:dim.count", { label, count, interpolation: { escapeValue: false } }),
      courseRoutes.list.data(0, `c.${near}`),
    ).row();
  kb.text(
    ctx.t("resident:search.wish", { q: text, interpolation: { escapeValue: false } }),
    wishRoutes.search.data(text),
  )
    .row()
    .text(ctx.t("resident:search.topics"), courseRoutes.menu.data());
  return { text: lines.join("\n"), reply_markup: kb };
}

/** One page of a browse list or of search results. An empty list says so and offers open courses. */
export function renderCourseList(ctx: ConvContext, ref: ListRef, page: number): Screen {
  if (ref.type === "q") return renderSearch(ctx, ref.text, page);
  const { db, clock, config } = ctx.deps;
  const now = clock.now();
  const token = encodeRef(ref);
  const what = listTitle(ctx, ref);
  const result = listCourses(db, filterOf(ref), now, config.timezone, page);
  const back = menuOf(ref);
  if (result.total > 0) {
    const text = ctx.t("courses:list.header", {
      what,
      total: result.total,
      page: result.page + 1,
      pages: result.pages,
      interpolation: { escapeValue: false },
    });
    return { text, reply_markup: listKeyboard(ctx, result, token, back) };
  }
  // The closest alternatives to an empty list: whatever is open soonest, anywhere.
  const open = listCourses(db, {}, now, config.timezone, 0);
  const suggestions = {
    ...open,
    items: open.items.filter((v) => v.availability.state !== "closed").slice(0, 3),
    pages: 1,
    page: 0,
  };
  const kb = new InlineKeyboard();
  for (const view of suggestions.items)
    kb.text(courseButtonLabel(ctx, view), courseRoutes.card.data(view.id, 0, token)).row();
  kb.text(ctx.t("common:back"), back);
  const text = [ctx.t("courses:list.empty", { what })];
  if (suggestions.items.length > 0) text.push(ctx.t("courses:list.suggest"));
  return { text: text.join("\n"), reply_markup: kb };
}
