/**
 * Staff messages: the weekly digest (computed and drawn at send time, so it shows the figures
 * of the moment it goes out, in the recipient's language), broadcasts and broadcast reports.
 */
import { loadTargets } from "../catalog/catalog-schema.ts";
import { isStaff } from "../people/roles.ts";
import { computeDigestFigures } from "../reports/digest.ts";
import { digestMessages } from "./digest-message.ts";
import { staffScope } from "../staff/access.ts";
import { broadcastOutcome, broadcastText } from "../staff/broadcast.ts";
import type { RenderContext, RenderedMessage, Template } from "../notify/template.ts";

/**
 * Every staff member gets the same digest in one of two languages: drawing the chart and the
 * spreadsheet once per language, not once per person, keeps the Monday queue moving for
 * everyone else. Kept for a few minutes, so the figures stay those of the moment it goes out.
 */
const DIGEST_REUSE_MS = 10 * 60_000;
const digestCache = new Map<string, { at: number; messages: Promise<RenderedMessage[]> }>();

function renderDigest(ctx: RenderContext): Promise<RenderedMessage[]> {
  // Staff of some sites get their sites' digest (with the district's week); one per scope.
  const scope = staffScope(ctx.db, ctx.chatId);
  const siteIds = scope.allSites ? undefined : scope.siteIds;
  const key = `${ctx.config.databasePath}|${ctx.locale}|${siteIds?.join(",") ?? "all"}`;
  const cached = digestCache.get(key);
  const now = ctx.now.getTime();
  if (cached && now - cached.at >= 0 && now - cached.at < DIGEST_REUSE_MS) return cached.messages;
  const targets = loadTargets(ctx.config.targetsPath);
  const figures = computeDigestFigures(ctx.db, {
    now: ctx.now,
    timezone: ctx.config.timezone,
    targets,
    ...(siteIds ? { siteIds } : {}),
  });
  const messages = digestMessages(ctx.t, ctx.locale, figures);
  digestCache.set(key, { at: now, messages });
  messages.catch(() => digestCache.delete(key));
  return messages;
}

export const staffTemplates: Record<string, Template> = {
  /** params: none needed; the figures are of the last complete week before sending. */
  "staff.digest": async (ctx) => {
    // Someone whose role was revoked after the row was queued gets nothing.
    if (!isStaff(ctx.db, ctx.chatId)) return null;
    return renderDigest(ctx);
  },

  /** params: { id } — the audit_log id of the broadcast; the text is stored there. */
  "staff.broadcast": (ctx, params) => {
    const text = broadcastText(ctx.db, Number(params.id));
    if (text === undefined) return null;
    return { text };
  },

  /** params: { id } — sent to the broadcast's author once every message is settled. */
  "staff.broadcastReport": (ctx, params) => {
    const id = Number(params.id);
    const o = broadcastOutcome(ctx.db, id);
    return {
      text: ctx.t("staff:broadcast.report", {
        id,
        total: o.total,
        delivered: o.delivered,
        unreachable: o.unreachable,
      }),
    };
  },
};
