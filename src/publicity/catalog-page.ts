/**
 * The public catalog page, "the website of the community schools": GET /courses lists the open
 * courses by category and site with when, where and seats left (the bot's own numbers), an
 * "Enrol in Telegram" link and a QR code. Plain HTML and CSS: no JavaScript, no cookies, no
 * personal data, mobile first. Rendered at most once a minute per language.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { i18n as I18n } from "i18next";
import type { Clock } from "../clock.ts";
import type { CourseView } from "../catalog/queries.ts";
import { findCourses } from "../catalog/queries.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Locale } from "../i18n/index.ts";
import { createI18n } from "../i18n/index.ts";
import { formatDateTime } from "../i18n/format.ts";
import { coursePayload, deepLink, startPayload } from "./links.ts";
import { coursePoster } from "./poster-content.ts";
import { qrModules } from "./poster-layout.ts";

export interface CatalogPageDeps {
  /** Read on every request: the sandbox replaces its database on "start afresh". */
  deps(): { db: Db; config: Config; clock: Clock };
  botUsername(): string;
  /** Seconds a rendered page is reused. */
  ttlSeconds?: number;
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A QR code as a small standalone SVG. */
export function qrSvg(link: string): string {
  const modules = qrModules(link);
  const n = modules.length;
  let d = "";
  modules.forEach((row, r) => {
    row.forEach((dark, c) => {
      if (dark) d += `M${c + 2} ${r + 2}h1v1h-1z`;
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n + 4} ${n + 4}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:17px/1.5 system-ui,"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f6f7f5}
header{background:#0b6e69;color:#fff;padding:14px 16px}header h1{margin:0;font-size:1.3em}header p{margin:6px 0 0}
header a{color:#fff}.lang{float:right;font-weight:bold;padding:4px 0}
main{padding:8px 12px;max-width:1200px;margin:0 auto}nav.toc{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
nav.toc a{background:#fff;border:1px solid #ccd;border-radius:18px;padding:4px 12px;color:#0b6e69;text-decoration:none}
h2{margin:24px 0 4px;font-size:1.25em;border-bottom:2px solid #0b6e69}h3{margin:14px 0 6px;font-size:1.05em;color:#555}
.courses{display:grid;grid-template-columns:1fr;gap:12px}
.course{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12);display:flex;flex-direction:column}
.course h4{margin:0;font-size:1.15em}.course .en{margin:0;color:#555;font-size:.9em}
dl{margin:8px 0;display:grid;grid-template-columns:max-content 1fr;gap:2px 10px}dt{color:#0b6e69;font-weight:bold}dd{margin:0;overflow-wrap:anywhere}
.actions{display:flex;align-items:center;gap:12px;margin-top:auto}
.enrol{display:inline-block;background:#0b6e69;color:#fff;text-decoration:none;padding:10px 16px;border-radius:8px;font-weight:bold;font-size:1.05em}
.qr{width:96px;height:96px;flex:none}.qr img{width:100%;height:100%}
footer{color:#555;font-size:.85em;padding:16px;text-align:center}
@media (min-width:700px){.courses{grid-template-columns:repeat(2,1fr)}}
@media (min-width:1100px){.courses{grid-template-columns:repeat(3,1fr)}}
`;

function courseCard(
  t: (k: string, v?: Record<string, unknown>) => string,
  locale: Locale,
  facts: ReturnType<typeof coursePoster>,
  view: CourseView,
  link: string,
): string {
  if (!facts) return "";
  const side = (p: { zh: string; en: string }) => (locale === "zh" ? p.zh : p.en) || p.zh || p.en;
  const other = locale === "zh" ? facts.title.en : facts.title.zh;
  const rows = facts.facts
    .filter((f) => side(f.value))
    .map((f) => `<dt>${esc(side(f.label))}</dt><dd>${esc(side(f.value))}</dd>`)
    .join("");
  return `<article class="course" id="c-${esc(view.code)}"><h4>${esc(side(facts.title))}</h4>${
    other && other !== side(facts.title)
      ? `<p class="en" lang="${locale === "zh" ? "en" : "zh"}">${esc(other)}</p>`
      : ""
  }<dl>${rows}</dl><div class="actions"><a class="enrol" href="${esc(link)}">${esc(t("publicity:page.enrol"))}</a><span class="qr"><img src="/courses/qr/${esc(view.code)}.svg" alt="${esc(t("publicity:page.scan"))}" width="96" height="96" loading="lazy"></span></div></article>`;
}

/** The page in one language. */
export function renderCatalogPage(
  env: { db: Db; i18n: I18n; now: Date; timezone: string; botUsername: string },
  locale: Locale,
): string {
  const t = env.i18n.getFixedT(locale) as unknown as (k: string, v?: Record<string, unknown>) => string;
  const open = findCourses(env.db, {}, env.now, env.timezone).filter(
    (c) =>
      c.status === "open" &&
      (c.availability.state === "open" ||
        c.availability.state === "starting_soon" ||
        c.availability.state === "full"),
  );
  const byCategory = new Map<string, CourseView[]>();
  for (const c of open) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c]);
  const categories = [...byCategory.keys()].sort();
  const side = (b: { zh: string; en: string }) => (locale === "zh" ? b.zh : b.en) || b.zh || b.en;
  const sections = categories.map((cat) => {
    const courses = byCategory.get(cat) ?? [];
    const bySite = new Map<number, CourseView[]>();
    for (const c of courses) bySite.set(c.site.id, [...(bySite.get(c.site.id) ?? []), c]);
    const sites = [...bySite.values()].map((list) => {
      const site = list[0]!.site;
      list.sort(
        (a, b) =>
          (a.availability.nextSessionAt ?? "~").localeCompare(b.availability.nextSessionAt ?? "~") ||
          a.id - b.id,
      );
      const cards = list
        .map((view) => {
          const facts = coursePoster({ ...env }, view.id);
          return courseCard(t, locale, facts, view, deepLink(env.botUsername, coursePayload(view, "page")));
        })
        .join("");
      return `<h3>${esc(side(site.name))}</h3><div class="courses">${cards}</div>`;
    });
    const name = t(`codes:category.${cat}`, { defaultValue: cat, interpolation: { escapeValue: false } });
    return `<section id="cat-${esc(cat)}"><h2>${esc(name)}</h2>${sites.join("")}</section>`;
  });
  const toc = categories
    .map(
      (cat) =>
        `<a href="#cat-${esc(cat)}">${esc(t(`codes:category.${cat}`, { defaultValue: cat, interpolation: { escapeValue: false } }))}</a>`,
    )
    .join("");
  const other: Locale = locale === "zh" ? "en" : "zh";
  const title = t("publicity:page.title", { interpolation: { escapeValue: false } });
  const updated = t("publicity:page.updated", {
    at: formatDateTime(env.now, locale, env.timezone),
    interpolation: { escapeValue: false },
  });
  const volunteer = deepLink(env.botUsername, startPayload({ kind: "volunteer" }, "page"));
  return `<!doctype html>
<html lang="${locale === "zh" ? "zh-Hans" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header><a class="lang" href="/courses?lang=${other}" hreflang="${other}">${esc(t("publicity:page.lang"))}</a><h1>${esc(title)}</h1><p>${esc(t("publicity:page.intro", { interpolation: { escapeValue: false } }))}</p></header>
<main>${open.length === 0 ? `<p>${esc(t("publicity:page.empty"))}</p>` : `<nav class="toc" aria-label="${esc(t("publicity:page.categories"))}">${toc}</nav>${sections.join("\n")}`}
<p><a href="${esc(volunteer)}">${esc(t("publicity:page.volunteer"))}</a></p></main>
<footer>${esc(updated)}</footer></body></html>`;
}

/**
 * A request handler for GET /courses (?lang=zh|en) and its QR images; returns false for any
 * other request so that the server's own routes run.
 */
export function createCatalogPageHandler(
  options: CatalogPageDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const ttlMs = (options.ttlSeconds ?? 60) * 1000;
  const cache = new Map<string, { body: string; at: number; db: Db }>();
  let i18n: Promise<I18n> | undefined;
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const qr = /^\/courses\/qr\/([a-z0-9][a-z0-9-]{0,62})\.svg$/.exec(url.pathname);
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (url.pathname !== "/courses" && url.pathname !== "/courses/" && !qr) return false;
    const { db, config, clock } = options.deps();
    const headers = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
    if (qr) {
      const row = db
        .prepare("SELECT id, code, kind FROM courses WHERE code = ? AND status = 'open'")
        .get(qr[1]) as { id: number; code: string; kind: string } | undefined;
      if (!row) {
        res.writeHead(404, headers).end();
        return true;
      }
      res.writeHead(200, {
        ...headers,
        "content-type": "image/svg+xml",
        "cache-control": "public, max-age=86400",
      });
      res.end(
        req.method === "HEAD"
          ? undefined
          : qrSvg(deepLink(options.botUsername(), coursePayload(row, "page"))),
      );
      return true;
    }
    const asked = url.searchParams.get("lang");
    const accept = String(req.headers["accept-language"] ?? "");
    const locale: Locale =
      asked === "en" || asked === "zh" ? asked : /^\s*en/i.test(accept) ? "en" : config.defaultLocale;
    const send = (body: string) => {
      res.writeHead(200, {
        ...headers,
        "content-type": "text/html; charset=utf-8",
        "cache-control": `public, max-age=${Math.round(ttlMs / 1000)}`,
        "content-security-policy":
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const hit = cache.get(locale);
    if (hit && hit.db === db && performance.now() - hit.at < ttlMs) {
      send(hit.body);
      return true;
    }
    i18n ??= createI18n(config.defaultLocale);
    i18n
      .then((instance) => {
        const body = renderCatalogPage(
          {
            db,
            i18n: instance,
            now: clock.now(),
            timezone: config.timezone,
            botUsername: options.botUsername(),
          },
          locale,
        );
        cache.set(locale, { body, at: performance.now(), db });
        send(body);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, headers).end();
      });
    return true;
  };
}
