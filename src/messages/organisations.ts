/**
 * The organisations' section of the digest, the monthly report and /orgs: each organisation's
 * training rate against the target, lowest first, and the district's overall rate.
 */
import type { TFunction } from "i18next";
import type { SheetTable } from "../reports/xlsx.ts";
import type { OrganisationRates } from "../organisations/rates.ts";

const pct = (n: number | null) => (n === null ? "—" : `${Math.round(n * 100)}%`);

/** One line per organisation (at most `max`, then "and n more"), escaped by i18next. */
export function organisationLines(t: TFunction, r: OrganisationRates, target: number, max = 8): string[] {
  const lines = r.organisations.slice(0, max).map((o) =>
    t("orgs:line", {
      mark: o.rate >= target ? "✅" : "⚠️",
      name: o.name,
      site: o.siteCode,
      trained: o.trained,
      employees: o.employees,
      rate: pct(o.rate),
    }),
  );
  if (r.organisations.length > max) lines.push(t("orgs:more", { n: r.organisations.length - max }));
  return lines;
}

/** The section: a heading with the district rate, then the lines; empty without organisations. */
export function organisationSection(t: TFunction, r: OrganisationRates, target: number, max = 8): string[] {
  if (r.organisations.length === 0) return [];
  return [
    `\n<b>${t("orgs:section", {
      rate: pct(r.rate),
      target: pct(target),
      trained: r.trained,
      employees: r.employees,
    })}</b>`,
    ...organisationLines(t, r, target, max),
  ];
}

/** The same figures as a sheet, for the spreadsheets. */
export function organisationSheet(t: TFunction, r: OrganisationRates, target: number): SheetTable {
  const h = (k: string) => t(`orgs:sheet.${k}`);
  return {
    name: h("name"),
    headers: [
      h("site"),
      h("organisation"),
      h("kind"),
      h("employees"),
      h("members"),
      h("trained"),
      h("rate"),
      h("target"),
    ],
    rows: [
      ...r.organisations.map((o) => [
        o.siteCode,
        o.name,
        t(`orgs:kind.${o.kind}`),
        o.employees,
        o.members,
        o.trained,
        o.rate,
        target,
      ]),
      [h("district"), null, null, r.employees, null, r.trained, r.rate, target],
    ],
  };
}
