/**
 * Deep links for what people share: a course, a site's courses, an event, the volunteer sign-up.
 * Each carries where it was found (poster, share, channel, page), so that the funnel can be
 * measured. Telegram allows 1-64 characters of A-Z, a-z, 0-9, _ and - after `start=`; catalog
 * codes use lower-case letters, digits and hyphens only, so `_` separates the parts.
 */

export const LINK_SOURCES = { p: "poster", s: "share", c: "channel", w: "page" } as const;
export type SourceLetter = keyof typeof LINK_SOURCES;
export type LinkSource = (typeof LINK_SOURCES)[SourceLetter];

const LETTER_OF: Record<LinkSource, SourceLetter> = { poster: "p", share: "s", channel: "c", page: "w" };

/** What a link opens. `n` is a course by number, used only when its code is too long for a link. */
export type LinkTarget =
  | { kind: "course"; code: string }
  | { kind: "courseId"; id: number }
  | { kind: "event"; code: string }
  | { kind: "site"; code: string }
  | { kind: "volunteer" };

export interface ParsedLink {
  target: LinkTarget;
  /** Undefined when the link carries no source (typed by hand, or an older link). */
  source: LinkSource | undefined;
}

const MAX_PAYLOAD = 64;

/** The `start` payload for a target and source, always within Telegram's 64 characters. */
export function startPayload(target: LinkTarget, source?: LinkSource): string {
  const tail = source ? `_${LETTER_OF[source]}` : "";
  let head: string;
  switch (target.kind) {
    case "course":
      head = `c_${target.code}`;
      break;
    case "event":
      head = `e_${target.code}`;
      break;
    case "site":
      head = `s_${target.code}`;
      break;
    case "courseId":
      head = `n_${target.id}`;
      break;
    case "volunteer":
      head = "v";
      break;
  }
  const payload = head + tail;
  if (payload.length > MAX_PAYLOAD) throw new Error(`start payload too long: ${payload}`);
  return payload;
}

/** The link for a course or event: by code when it fits, by number otherwise. */
export function coursePayload(
  course: { id: number; code: string; kind: string },
  source?: LinkSource,
): string {
  const fits = course.code.length + 4 <= MAX_PAYLOAD;
  if (!fits) return startPayload({ kind: "courseId", id: course.id }, source);
  return startPayload({ kind: course.kind === "course" ? "course" : "event", code: course.code }, source);
}

/** `https://t.me/<bot>?start=<payload>` */
export function deepLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}

const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Reads a start payload; undefined when it is not one of ours (check-in codes and other
 * features' payloads pass through untouched).
 */
export function parseStartPayload(payload: string): ParsedLink | undefined {
  const parts = payload.trim().split("_");
  const [kind, ...rest] = parts;
  let source: LinkSource | undefined;
  const last = rest.at(-1);
  // A one-letter course code is a code, not a source: only a part after the code is a source.
  if (rest.length > (kind === "v" ? 0 : 1) && last && Object.hasOwn(LINK_SOURCES, last)) {
    source = LINK_SOURCES[last as SourceLetter];
    rest.pop();
  }
  if (kind === "v" && rest.length === 0) return { target: { kind: "volunteer" }, source };
  if (rest.length !== 1) return undefined;
  const value = rest[0] ?? "";
  if (kind === "n")
    return /^\d{1,12}$/.test(value) ? { target: { kind: "courseId", id: Number(value) }, source } : undefined;
  if (!CODE.test(value)) return undefined;
  if (kind === "c") return { target: { kind: "course", code: value }, source };
  if (kind === "e") return { target: { kind: "event", code: value }, source };
  if (kind === "s") return { target: { kind: "site", code: value }, source };
  return undefined;
}
