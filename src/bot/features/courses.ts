import type { InlineKeyboard } from "grammy";
import { Composer } from "grammy";
import type { BotContext, ConvContext } from "../context.ts";
import type { MenuKey } from "../menu.ts";
import { MENU_KEYS, answer, cb, menuLabel, onMenuEntry } from "../menu.ts";
import { renderCourseCard } from "../views/course-card.ts";
import {
  decodeRef,
  namedCourse,
  renderBrowseMenu,
  renderCourseList,
  renderDimensionMenu,
} from "../views/course-list.ts";
import { showScreen } from "../views/screen.ts";

/**
 * Finding a course: the browse menu (📚 找课程, /courses), its lists and cards, and free text
 * typed outside any form, which is taken as a search. Callback data starts with `crs:`.
 */

type Screen = { text: string; reply_markup: InlineKeyboard };

/** The course screens carry their keyboard as reply_markup. */
function show(ctx: ConvContext, screen: Screen): Promise<void> {
  return showScreen(ctx, { text: screen.text, keyboard: screen.reply_markup });
}

const ALL_MENU_KEYS: MenuKey[] = [...MENU_KEYS, "staff"];

function isMenuLabel(ctx: BotContext, text: string): boolean {
  return ALL_MENU_KEYS.some((key) => menuLabel(ctx.deps.i18n, key).includes(text));
}

export function createCourses(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  const openMenu = (ctx: ConvContext) => show(ctx, renderBrowseMenu(ctx));
  onMenuEntry(pm, "courses", "courses", openMenu);

  composer.callbackQuery("crs:m", async (ctx) => {
    await answer(ctx);
    await show(ctx, renderBrowseMenu(ctx));
  });

  composer.callbackQuery("crs:m:q", async (ctx) => {
    await answer(ctx);
    const menu = renderBrowseMenu(ctx);
    await show(ctx, { text: ctx.t("courses:menu.searchHint"), reply_markup: menu.reply_markup });
  });

  composer.callbackQuery(/^crs:m:([cads])$/, async (ctx) => {
    const screen = renderDimensionMenu(ctx, ctx.match[1] ?? "");
    if (!screen) return answer(ctx, ctx.t("common:stale"), true);
    await answer(ctx);
    await show(ctx, screen);
  });

  composer.callbackQuery(/^crs:l:(\d{1,4}):(.+)$/s, async (ctx) => {
    const ref = decodeRef(ctx.match[2] ?? "");
    if (!ref) return answer(ctx, ctx.t("common:stale"), true);
    await answer(ctx);
    await show(ctx, renderCourseList(ctx, ref, Number(ctx.match[1])));
  });

  composer.callbackQuery(/^crs:c:(\d{1,9}):(\d{1,4}):(.+)$/s, async (ctx) => {
    const [, id = "", page = "0", token = ""] = ctx.match;
    const ref = decodeRef(token);
    const back = ref ? cb("crs", "l", page, token) : cb("crs", "m");
    const card = renderCourseCard(ctx, Number(id), back);
    if (!card) {
      // A forged id, or a course removed since the list was drawn: say so and redraw the list.
      await answer(ctx, ctx.t("courses:notFound"), true);
      await show(ctx, ref ? renderCourseList(ctx, ref, Number(page)) : renderBrowseMenu(ctx));
      return;
    }
    await answer(ctx);
    await show(ctx, card);
  });

  // Anything else under our prefix is from an older version of the bot or made up.
  composer.callbackQuery(/^crs:/, (ctx) => answer(ctx, ctx.t("common:stale"), true));

  // Text typed outside any form, which is neither a command nor a menu button: a search.
  pm.on("message:text", async (ctx, next) => {
    const text = ctx.message.text.trim();
    if (!text || text.startsWith("/") || isMenuLabel(ctx, text)) return next();
    const named = namedCourse(ctx, text);
    const card = named && renderCourseCard(ctx, named.id, named.back);
    await show(ctx, card || renderCourseList(ctx, { type: "q", text }, 0));
  });

  return composer;
}
