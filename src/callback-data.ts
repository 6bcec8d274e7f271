/**
 * Callback data: the short reference a button carries, `<feature>:<action>:<ids…>`. Telegram
 * refuses a button whose data is over 64 bytes (CJK is 3 bytes a character), and refuses the
 * whole message with it, so every button's data is built here and checked when it is built.
 *
 * Each kind of button is declared once, as a route: `cbRoute("cert:c", field.id, field.id)`.
 * The route builds the data (`route.data(12, 34)` → "cert:c:12:34"), gives the pattern the
 * handler is registered with (`route.pattern`) and reads the pressed data back as typed values
 * (`route.read(ctx.match)` → [12, 34]). The button and its handler import the same route, so
 * they cannot drift apart.
 */

/** Telegram's limit on a button's callback_data, in UTF-8 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/** Joins the parts with ":"; throws on data over 64 bytes, so a too-long one fails in tests, not in chat. */
export function cb(...parts: (string | number)[]): string {
  const data = parts.join(":");
  if (Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)
    throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

/**
 * The feature word a callback data starts with, the text before its first ":" ("enr" for
 * "enr:ok:12:s:-"): createBot hands a press only to the features that declare that word.
 */
export function namespaceOf(data: string): string {
  const colon = data.indexOf(":");
  return colon < 0 ? data : data.slice(0, colon);
}

/** One part of a route's data after its prefix: what it may hold and the value it reads as. */
export interface Field<T> {
  /** A regular expression source for the part, without capturing groups. */
  readonly source: string;
  /** Only the last field: the part and its ":" may be left out. */
  readonly optional: boolean;
  /** Only the last field: the part runs to the end of the data and may hold ":". */
  readonly rest: boolean;
  read(part: string): T;
  /** Never set: carries T for the types. */
  readonly value?: T;
}

/** A last field the data may leave out. */
export interface OptionalField<T> extends Field<T | undefined> {
  readonly optional: true;
}

function kind<T>(source: string, read: (part: string) => T, rest = false): Field<T> {
  return { source, optional: false, rest, read };
}

/** A literal part of a route, escaped for a regular expression. */
function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

/** The kinds of field a route is made of. */
export const field = {
  /** A row id, page or index: 0 or more, up to 12 digits; reads as a number. */
  id: kind("\\d{1,12}", Number),
  /** A code, key, hash or token: letters, digits, "_", "." and "-". */
  word: kind("[A-Za-z0-9_.-]{1,64}", String),
  /** Free text to the end of the data (a search), ":" included; the last field only. */
  text: kind(".+", String, true),
  /** One of a fixed set of literals, e.g. oneOf("a", "d"). */
  oneOf<const L extends string>(...values: L[]): Field<L> {
    return kind(`(?:${values.map(escapeRe).join("|")})`, (part) => part as L);
  },
  /** A literal such as "s" (oneself) or an id. */
  idOr<const L extends string>(literal: L): Field<L | number> {
    return kind(`(?:${escapeRe(literal)}|\\d{1,12})`, (part) => (part === literal ? literal : Number(part)));
  },
  /** The last field, which the data may leave out: reads as undefined then. */
  optional<T>(inner: Field<T>): OptionalField<T> {
    return { ...inner, optional: true, read: (part) => inner.read(part) };
  },
};

type ValueOf<F> = F extends Field<infer T> ? T : never;
type AnyField = Field<unknown>;

/** The values a route's data reads as, one for each field. */
export type CbValues<F extends readonly AnyField[]> = { [K in keyof F]: ValueOf<F[K]> };

/** The arguments of route.data(): an optional last field may be left out. */
type CbArgs<F extends readonly AnyField[]> = F extends readonly [...infer Head extends AnyField[], infer Last]
  ? Last extends OptionalField<infer T>
    ? [...CbValues<Head>, T?]
    : CbValues<F>
  : CbValues<F>;

export interface CbRoute<F extends readonly AnyField[]> {
  /** The fixed start of the data, e.g. "cert:c". */
  readonly prefix: string;
  /** What the handler is registered with: the whole data, fields captured in order. */
  readonly pattern: RegExp;
  /** The button's data, checked against the fields and the 64-byte limit. */
  data(...values: CbArgs<F>): string;
  /** The typed values of a match of `pattern` (grammY's ctx.match). */
  read(match: string | RegExpMatchArray): CbValues<F>;
  /** The typed values of some data, or null when it is not this route's. */
  parse(data: string): CbValues<F> | null;
}

/** Feature and action words of a prefix: "cert:c", "stf:m", "fb:m:rate". */
const PREFIX = /^[a-z]+(?::[a-zA-Z]+)*$/;

/** Declares one kind of button: its data is `prefix` then the fields, joined with ":". */
export function cbRoute<const F extends readonly AnyField[]>(prefix: string, ...fields: F): CbRoute<F> {
  if (!PREFIX.test(prefix)) throw new Error(`callback prefix must be words joined by ":": ${prefix}`);
  fields.forEach((f, i) => {
    if ((f.optional || f.rest) && i !== fields.length - 1)
      throw new Error(`only the last field of ${prefix} may be optional or free text`);
  });
  const parts = fields.map((f) => (f.optional ? `(?::(${f.source}))?` : `:(${f.source})`));
  const pattern = new RegExp(`^${escapeRe(prefix)}${parts.join("")}$`, fields.some((f) => f.rest) ? "s" : "");
  const whole = fields.map((f) => new RegExp(`^(?:${f.source})$`, f.rest ? "s" : ""));

  const read = (match: string | RegExpMatchArray): CbValues<F> => {
    const m = typeof match === "string" ? pattern.exec(match) : match;
    if (!m) throw new Error(`callback data is not ${prefix}: ${String(match)}`);
    return fields.map((f, i) => {
      const part = m[i + 1];
      return part === undefined ? undefined : f.read(part);
    }) as CbValues<F>;
  };

  return {
    prefix,
    pattern,
    data: (...values) => {
      const shown = (values as unknown[]).filter((v, i) => !(v === undefined && fields[i]?.optional));
      if (shown.length > fields.length || shown.length < fields.filter((f) => !f.optional).length)
        throw new Error(`callback data ${prefix} takes ${fields.length} values, got ${shown.length}`);
      shown.forEach((v, i) => {
        if (v === undefined || v === null || !whole[i]!.test(String(v)))
          throw new Error(`callback data ${prefix}: bad value ${String(v)}`);
      });
      return cb(prefix, ...(shown as (string | number)[]));
    },
    read,
    parse: (data) => (pattern.test(data) ? read(data) : null),
  };
}

/**
 * Every callback data of a feature, e.g. "crs:": registered after the feature's routes, it
 * answers a button of an older version of the bot that no route matches any more.
 */
export function cbFeature(feature: string): { readonly pattern: RegExp } {
  if (!/^[a-z]+$/.test(feature)) throw new Error(`callback feature must be a word: ${feature}`);
  return { pattern: new RegExp(`^${feature}:`) };
}
