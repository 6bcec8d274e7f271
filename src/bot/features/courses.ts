import type { InlineKeyboard } from "grammy";
import { Composer } from "grammy";
import type { BotContext, ConvContext } from "../context.ts";
import type { MenuKey } from "../menu.ts";
import { cbFeature } from "../../callback-data.ts";
import { MENU_KEYS, answer, menuLabel, onMenuEntry } from "../menu.ts";
import { renderCourseCard } from "../views/course-card.ts";
import {
  courseRoutes,
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

  composer.callbackQuery(courseRoutes.menu.pattern, async (ctx) => {
    await answer(ctx);
    await show(ctx, renderBrowseMenu(ctx));
  });

  composer.callbackQuery(courseRoutes.searchHint.pattern, async (ctx) => {
    await answer(ctx);
    const menu = renderBrowseMenu(ctx);
    await show(ctx, { text: ctx.t("courses:menu.searchHint"), reply_markup: menu.reply_markup });
  });

  composer.callbackQuery(courseRoutes.dimension.pattern, async (ctx) => {
    const screen = renderDimensionMenu(ctx, ...courseRoutes.dimension.read(ctx.match));
    if (!screen) return answer(ctx, ctx.t("common:stale"), true);
    await answer(ctx);
    await show(ctx, screen);
  });

  composer.callbackQuery(courseRoutes.list.pattern, async (ctx) => {
    const [page, token] = courseRoutes.list.read(ctx.match);
    const ref = decodeRef(token);
    if (!ref) return answer(ctx, ctx.t("common:stale"), true);
    await answer(ctx);
    await show(ctx, renderCourseList(ctx, ref, page));
  });

  composer.callbackQuery(courseRoutes.card.pattern, async (ctx) => {
    const [id, page, token] = courseRoutes.card.read(ctx.match);
    const ref = decodeRef(token);
    const back = ref ? courseRoutes.list.data(page, token) : courseRoutes.menu.data();
    const card = renderCourseCard(ctx, id, back);
    if (!card) {
      // A forged id, or a course removed since the list was drawn: say so and redraw the list.
      await answer(ctx, ctx.t("courses:notFound"), true);
      await show(ctx, ref ? renderCourseList(ctx, ref, page) : renderBrowseMenu(ctx));
      return;
    }
    await answer(ctx);
    await show(ctx, card);
  });

  // Anything else under our prefix is from an older version of the bot or made up.
  composer.callbackQuery(cbFeature("crs").pattern, (ctx) => answer(ctx, ctx.t("common:stale"), true));

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
