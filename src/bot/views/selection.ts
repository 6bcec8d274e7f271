/**
 * The screens of /selection: the year's learning families and teams with ☐/☑ toggles, paged,
 * the confirmation before certificates go out, and the result.
 */
import { InlineKeyboard } from "grammy";
import { cbRoute, field } from "../../callback-data.ts";
import { pick } from "../../i18n/bilingual.ts";
import type { SelectionBoard } from "../../selection/selection.ts";
import { cutText } from "../../text.ts";
import type { BotContext } from "../context.ts";
import { buttonMax, distinctLabels } from "../labels.ts";
import { pagerButtons } from "../menu.ts";
import type { Screen } from "./screen.ts";

/** The buttons of /selection, built and matched from one declaration each. */
export const selectionRoutes = {
  page: cbRoute("sel:p", field.id),
  /** Mark a family (f, by account) or team (t), then show that page again. */
  mark: cbRoute("sel:m", field.oneOf("f", "t"), field.id, field.id),
  unmark: cbRoute("sel:u", field.oneOf("f", "t"), field.id, field.id),
  send: cbRoute("sel:s"),
  confirm: cbRoute("sel:go"),
};

/** Candidates a page: their lines and buttons stay well within one message and one screen. */
export const SELECTION_PAGE = 8;
/** A candidate's line in the list, at most this many characters of names. */
const LINE_MAX = 120;

interface Item {
  kind: "f" | "t";
  id: number;
  title: string;
  line: string;
  selected: boolean;
}

function items(ctx: BotContext, board: SelectionBoard): Item[] {
  const sep = ctx.t("common:listSep");
  const mark = (selected: boolean) => (selected ? "☑" : "☐");
  const sent = (notified: boolean) => (notified ? ctx.t("selection:sentMark") : "");
  return [
    ...board.families.map((f) => {
      const names = f.members.join(sep);
      return {
        kind: "f" as const,
        id: f.accountId,
        title: names,
        selected: f.selected,
        line:
          ctx.t("selection:family", {
            mark: mark(f.selected),
            names: cutText(names, LINE_MAX),
            courses: f.courses,
          }) + sent(f.notified),
      };
    }),
    ...board.teams.map((t) => ({
      kind: "t" as const,
      id: t.teamId,
      title: t.name,
      selected: t.selected,
      line:
        ctx.t("selection:team", {
          mark: mark(t.selected),
          name: cutText(t.name, LINE_MAX),
          course: cutText(pick({ zh: t.titleZh, en: t.titleEn }, ctx.locale), LINE_MAX),
          completed: t.completed,
          members: t.members,
        }) + sent(t.notified),
    })),
  ];
}

/** The board, one page of it: each candidate's line and its toggle, then ◀️ ▶️ and Send. */
export function selectionScreen(ctx: BotContext, board: SelectionBoard, page: number): Screen {
  const all = items(ctx, board);
  const last = Math.max(0, Math.ceil(all.length / SELECTION_PAGE) - 1);
  const p = Math.min(Math.max(0, page), last);
  const shown = all.slice(p * SELECTION_PAGE, (p + 1) * SELECTION_PAGE);
  const parts = [ctx.t("selection:title", { year: board.year })];
  if (all.length === 0) parts.push(ctx.t("selection:none"));
  const families = shown.filter((i) => i.kind === "f");
  const teams = shown.filter((i) => i.kind === "t");
  if (families.length > 0)
    parts.push(
      [ctx.t("selection:families", { n: board.families.length }), ...families.map((i) => i.line)].join("\n"),
    );
  if (teams.length > 0)
    parts.push([ctx.t("selection:teams", { n: board.teams.length }), ...teams.map((i) => i.line)].join("\n"));
  const kb = new InlineKeyboard();
  const labels = distinctLabels(
    shown.map((i) => ({ title: i.title })),
    buttonMax(ctx.locale) - 2,
  );
  shown.forEach((item, n) => {
    kb.text(
      `${item.selected ? "☑" : "☐"} ${labels[n]}`,
      (item.selected ? selectionRoutes.unmark : selectionRoutes.mark).data(item.kind, item.id, p),
    ).row();
  });
  pagerButtons(kb, p, p < last, selectionRoutes.page).row();
  if (board.pending > 0) kb.text(ctx.t("selection:send", { n: board.pending }), selectionRoutes.send.data());
  return { text: parts.join("\n\n"), keyboard: kb };
}

/** How many families and teams a send would reach, and the one button that sends. */
export function confirmScreen(ctx: BotContext, board: SelectionBoard): Screen {
  const families = board.families.filter((f) => f.selected && !f.notified).length;
  const teams = board.teams.filter((t) => t.selected && !t.notified).length;
  const kb = new InlineKeyboard()
    .text(ctx.t("selection:confirmYes"), selectionRoutes.confirm.data())
    .row()
    .text(ctx.t("common:back"), selectionRoutes.page.data(0));
  return { text: ctx.t("selection:confirm", { families, teams }), keyboard: kb };
}

/** After the send: how many got their certificate, and the way back to the board. */
export function sentScreen(ctx: BotContext, sent: { families: number; teams: number }): Screen {
  const kb = new InlineKeyboard().text(ctx.t("common:back"), selectionRoutes.page.data(0));
  return { text: ctx.t("selection:sent", sent), keyboard: kb };
}
