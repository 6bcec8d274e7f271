/**
 * `/selection`: the annual selection of learning families and learning teams, for admins (the
 * district centre selects across all sites). Each press re-reads the board, so an old button or
 * a double tap acts on the selection as it is now; certificates go out once, after a confirmation.
 */
import { Composer } from "grammy";
import { markSelected, notifySelected, selectionBoard, unmark } from "../../selection/selection.ts";
import type { SelectionRef } from "../../selection/selection.ts";
import { localParts } from "../../time.ts";
import type { BotContext } from "../context.ts";
import { answer } from "../menu.ts";
import { yearStartOf } from "../views/organisations.ts";
import { showScreen } from "../views/screen.ts";
import { confirmScreen, selectionRoutes, selectionScreen, sentScreen } from "../views/selection.ts";
import { requireAdmin } from "./staff-guard.ts";

/** The school's current year and when it began, in its timezone. */
function yearOf(ctx: BotContext): { year: number; yearStart: Date } {
  return {
    year: localParts(ctx.deps.clock.now(), ctx.deps.config.timezone).year,
    yearStart: yearStartOf(ctx),
  };
}

const board = (ctx: BotContext) => {
  const y = yearOf(ctx);
  return selectionBoard(ctx.deps.db, y.year, y.yearStart, ctx.deps.clock.now());
};

export function createSelectionFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("selection", async (ctx) => {
    if (!(await requireAdmin(ctx))) return;
    await showScreen(ctx, selectionScreen(ctx, board(ctx), 0));
  });

  pm.callbackQuery(selectionRoutes.page.pattern, async (ctx) => {
    if (!(await requireAdmin(ctx))) return;
    const [page] = selectionRoutes.page.read(ctx.match);
    await answer(ctx);
    await showScreen(ctx, selectionScreen(ctx, board(ctx), page));
  });

  // Mark and unmark share one handler: the route pressed says which change to make.
  pm.callbackQuery([selectionRoutes.mark.pattern, selectionRoutes.unmark.pattern], async (ctx) => {
    if (!(await requireAdmin(ctx))) return;
    const marking = selectionRoutes.mark.parse(ctx.callbackQuery.data);
    const [kind, id, page] = marking ?? selectionRoutes.unmark.read(ctx.callbackQuery.data);
    const target =
      kind === "f" ? { kind: "family" as const, accountId: id } : { kind: "team" as const, teamId: id };
    const ref: SelectionRef = { ...target, ...yearOf(ctx), by: ctx.from.id };
    const r = (marking ? markSelected : unmark)(ctx.deps.db, ref, ctx.deps.clock.now());
    if (r.kind === "notCandidate" || r.kind === "notified")
      await answer(ctx, ctx.t(r.kind === "notified" ? "selection:notified" : "selection:notCandidate"), true);
    else await answer(ctx);
    await showScreen(ctx, selectionScreen(ctx, r.board, page));
  });

  pm.callbackQuery(selectionRoutes.send.pattern, async (ctx) => {
    if (!(await requireAdmin(ctx))) return;
    const b = board(ctx);
    if (b.pending === 0) {
      await answer(ctx, ctx.t("selection:nothing"), true);
      return showScreen(ctx, selectionScreen(ctx, b, 0));
    }
    await answer(ctx);
    await showScreen(ctx, confirmScreen(ctx, b));
  });

  pm.callbackQuery(selectionRoutes.confirm.pattern, async (ctx) => {
    if (!(await requireAdmin(ctx))) return;
    const y = yearOf(ctx);
    const sent = notifySelected(
      ctx.deps.db,
      { ...y, by: ctx.from.id, botUsername: ctx.me.username },
      ctx.deps.clock.now(),
    );
    // A second tap on Send, or everything was sent meanwhile: nothing goes twice.
    if (sent.families + sent.teams === 0) return answer(ctx, ctx.t("selection:nothing"), true);
    await answer(ctx);
    await showScreen(ctx, sentScreen(ctx, sent));
  });

  return composer;
}
