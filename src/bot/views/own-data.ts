import { formatDate } from "../../i18n/format.ts";
import type { ConvContext } from "../context.ts";

type Row = Record<string, unknown>;

const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));

/**
 * /mydata in words, in the reader's language: what is kept, why, and since when. The same data
 * goes along as a JSON file for anyone who wants the exact record.
 */
export function ownDataText(ctx: ConvContext, data: Record<string, unknown>): string {
  const tz = ctx.deps.config.timezone;
  const since = (at: unknown) => (str(at) ? formatDate(str(at), ctx.locale, tz) : "—");
  const t = (key: string, values: Record<string, unknown> = {}) => ctx.t(`resident:mydata.${key}`, values);
  const account = (data.account ?? {}) as Row;
  const name = [str(account.first_name), str(account.last_name)].filter(Boolean).join(" ");
  const lines = [t("title"), ""];
  lines.push(
    t("account", {
      name,
      phone: str(account.phone) || t("none"),
      since: since(account.created_at),
    }),
  );
  const family = rows(data.people).filter((p) => p.is_self !== 1);
  lines.push(
    t("family", {
      count: family.length,
      names:
        family
          .map((p) => {
            const relation = ctx.t(`codes:relation.${str(p.relation)}`, { defaultValue: str(p.relation) });
            return ctx.locale === "zh" ? `${str(p.name)}（${relation}）` : `${str(p.name)} (${relation})`;
          })
          .join(t("join")) || t("none"),
    }),
  );
  const enrolments = rows(data.enrolments).filter((e) => e.status !== "cancelled");
  lines.push(
    t("enrolments", {
      count: enrolments.length,
      titles:
        enrolments
          .map(
            (e) => `${str(ctx.locale === "zh" ? e.title_zh : e.title_en || e.title_zh)} · ${str(e.person)}`,
          )
          .join(t("join")) || t("none"),
    }),
  );
  lines.push(t("attendance", { count: rows(data.attendance).length }));
  const teams = rows(data.teams);
  lines.push(
    t("teams", {
      count: teams.length,
      names: teams.map((m) => `${str(m.team)} · ${str(m.person)}`).join(t("join")) || t("none"),
    }),
  );
  lines.push(t("volunteer", { state: data.volunteer ? t("yes") : t("no") }));
  lines.push(t("feedback", { feedback: rows(data.feedback).length, wishes: rows(data.wishes).length }));
  lines.push(t("messages", { count: rows(data.pendingMessages).length }));
  lines.push("", t("footer"));
  // Names and titles go in as i18next values, which it escapes for HTML.
  return lines.join("\n");
}
