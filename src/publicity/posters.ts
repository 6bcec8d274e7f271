/**
 * Posters for staff to print and to send to group chats: one entry point for the bot and the
 * command line. A code names a course (or lecture, event) or a site.
 */
import type { i18n as I18n } from "i18next";
import type { Db } from "../db/connection.ts";
import { coursePoster, findPosterTarget, sitePoster } from "./poster-content.ts";
import type { Poster } from "./poster-content.ts";
import { layoutPoster } from "./poster-layout.ts";
import { posterPdf, posterPng } from "./poster-render.ts";

export interface PosterFiles {
  kind: "course" | "site";
  /** The title in Chinese, for captions and file names. */
  title: string;
  titleEn: string;
  link: string;
  pdf: Buffer;
  png: Buffer;
}

export interface PosterEnv {
  db: Db;
  i18n: I18n;
  botUsername: string;
  now: Date;
  timezone: string;
}

/** The poster's words for a course id or a site id; undefined when there is nothing to show. */
export function posterFor(
  env: PosterEnv,
  target: { kind: "course" | "site"; id: number },
): Poster | undefined {
  return target.kind === "course" ? coursePoster(env, target.id) : sitePoster(env, target.id);
}

/** Makes the PDF and the PNG of one poster. */
export async function makePoster(
  env: PosterEnv,
  target: { kind: "course" | "site"; id: number },
  options: { png?: boolean } = {},
): Promise<PosterFiles | undefined> {
  const poster = posterFor(env, target);
  if (!poster) return undefined;
  const layout = layoutPoster(poster);
  const [pdf, png] = await Promise.all([
    posterPdf(layout),
    options.png === false ? Promise.resolve(Buffer.alloc(0)) : posterPng(layout),
  ]);
  return { kind: poster.kind, title: poster.title.zh, titleEn: poster.title.en, link: poster.link, pdf, png };
}

/** Makes the poster for whatever `code` names (course first, then site). */
export async function makePosterByCode(
  env: PosterEnv,
  code: string,
  options: { png?: boolean } = {},
): Promise<PosterFiles | undefined> {
  const target = findPosterTarget(env.db, code.trim().toLowerCase());
  return target ? makePoster(env, target, options) : undefined;
}

/** A file name for the poster: the code, safe anywhere. */
export function posterFileName(code: string, ext: "pdf" | "png"): string {
  return `poster-${code.replace(/[^a-z0-9-]/gi, "") || "lifelong"}.${ext}`;
}
