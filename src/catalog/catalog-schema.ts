/**
 * The shape of data/catalog.yaml (and, re-exported, of targets.yaml and skills.yaml). Strict: a
 * field the schema does not know is an error, so a typo such as `capcity:` is caught, not ignored.
 */
import { z } from "zod";
import { AUDIENCES, CATEGORIES, COURSE_KINDS, COURSE_STATUSES, SITE_KINDS, WEEKDAYS } from "./codes.ts";
import { crossCheck } from "./import-checks.ts";
import type { Problem } from "./import-errors.ts";
import { CatalogError, problemsFromZod } from "./import-errors.ts";
import {
  age,
  bilingual,
  code,
  date,
  dateOrDateTime,
  duration,
  localDateTime,
  optionalBilingual,
  positiveInt,
  required,
  skillCode,
  time,
  wholeNumber,
} from "./import-fields.ts";
import { problemLines } from "./import-file.ts";
import type { Schedule } from "./schedule.ts";
import { expandSchedule, isValidTime, MAX_SESSIONS_PER_COURSE, parseLocalDateTime } from "./schedule.ts";

export type { Skill, Targets } from "./import-targets.ts";
export { loadSkills, loadTargets, skillSchema, targetsSchema } from "./import-targets.ts";
export { CatalogError };

/** A site of the three-level network. */
export const siteSchema = z.strictObject({
  code,
  kind: z.enum(SITE_KINDS),
  parent: code.optional(),
  name: bilingual,
  address: optionalBilingual.optional(),
  residents: wholeNumber(0, 100_000_000, "must be a whole number of residents, 0 or more").default(0),
});

/** A room or ground at a site. */
export const venueSchema = z.strictObject({
  code,
  site: code,
  name: bilingual,
  address: optionalBilingual.optional(),
  capacity: positiveInt.optional(),
});

const scheduleDate = z.strictObject({ date, time, duration_minutes: duration });
const WEEKLY_KEYS = ["start", "weeks", "weekdays", "time", "duration_minutes"] as const;

/** Either a weekly term (start, weeks, weekdays, time, duration_minutes, skip) or a list of dates. */
export const scheduleSchema = z
  .strictObject({
    start: date.optional(),
    weeks: wholeNumber(1, 60, "must be a number of weeks, 1 to 60").optional(),
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).optional(),
    time: time.optional(),
    duration_minutes: duration.optional(),
    skip: z.array(date).optional(),
    dates: z.array(scheduleDate).min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (s.dates) {
      for (const k of [...WEEKLY_KEYS, "skip"] as const) {
        if (s[k] !== undefined) add([k], "a schedule has either dates: or a weekly term, not both");
      }
      const seen = new Map<string, number>();
      s.dates.forEach((d, i) => {
        const key = `${d.date} ${d.time}`;
        const first = seen.get(key);
        if (first !== undefined) add(["dates", i], `${key} is listed twice (also dates[${first}])`);
        else seen.set(key, i);
      });
      return;
    }
    const missing = WEEKLY_KEYS.filter((k) => s[k] === undefined);
    for (const k of missing) add([k], "is required for a weekly schedule (or list dates: instead)");
    if (missing.length > 0) return;
    const weekdays = s.weekdays ?? [];
    if (new Set(weekdays).size !== weekdays.length) add(["weekdays"], "lists a weekday twice");
    const weekly = {
      start: s.start!,
      weeks: s.weeks!,
      weekdays,
      time: s.time!,
      duration_minutes: s.duration_minutes!,
    };
    const days = new Set(expandSchedule(weekly).map((slot) => slot.date));
    (s.skip ?? []).forEach((d, i) => {
      if (!days.has(d))
        add(["skip", i], `${d} is not a session day of this term, so there is nothing to skip`);
    });
    const count = expandSchedule({ ...weekly, skip: s.skip }).length;
    if (count === 0) add([], "gives no sessions at all");
    if (count > MAX_SESSIONS_PER_COURSE)
      add([], `gives ${count} sessions; more than ${MAX_SESSIONS_PER_COURSE} looks like a mistake`);
  })
  .transform(
    (s): Schedule =>
      s.dates
        ? { dates: s.dates }
        : {
            start: s.start!,
            weeks: s.weeks!,
            weekdays: s.weekdays!,
            time: s.time!,
            duration_minutes: s.duration_minutes!,
            skip: s.skip,
          },
  );

/** A course, lecture series or event, with its sessions' schedule. */
export const courseSchema = z.strictObject({
  code,
  kind: z.enum(COURSE_KINDS).default("course"),
  category: z.enum(CATEGORIES),
  site: code,
  venue: code.optional(),
  title: bilingual,
  description: optionalBilingual.default({ zh: "", en: "" }),
  audiences: z.array(z.enum(AUDIENCES)).min(1),
  min_age: age.optional(),
  max_age: age.optional(),
  capacity: positiveInt,
  fee: z
    .custom<number>(
      (v) =>
        typeof v === "number" && v >= 0 && v <= 100_000 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6,
      required("must be an amount in yuan, 0 or more, at most 2 decimals (0 = free)"),
    )
    .default(0),
  teacher: z.string().trim().default(""),
  keywords: z.string().trim().default(""),
  health_related: z.boolean().default(false),
  needs_phone: z.boolean().default(false),
  enrolment: z
    .strictObject({ opens: dateOrDateTime.optional(), closes: dateOrDateTime.optional() })
    .optional(),
  status: z.enum(COURSE_STATUSES).default("open"),
  schedule: scheduleSchema,
});

/** A volunteer shift listed in the catalog; the bot can create more. */
export const shiftSchema = z.strictObject({
  code,
  title: bilingual,
  site: code,
  venue: code.optional(),
  course: code.optional(),
  start: localDateTime,
  end: z.custom<string>(
    (v) => typeof v === "string" && (isValidTime(v) || parseLocalDateTime(v) !== null),
    required('must be a local date and time like "2026-12-05 12:00", or just "12:00" for the same day'),
  ),
  needed: positiveInt,
  skills: z.array(skillCode).default([]),
});

/** The whole catalog file. */
export const catalogSchema = z.strictObject({
  sites: z.array(siteSchema).min(1),
  venues: z.array(venueSchema).default([]),
  courses: z.array(courseSchema).default([]),
  shifts: z.array(shiftSchema).default([]),
});

export type Catalog = z.output<typeof catalogSchema>;
export type CatalogSite = Catalog["sites"][number];
export type CatalogVenue = Catalog["venues"][number];
export type CatalogCourse = Catalog["courses"][number];
export type CatalogShift = Catalog["shifts"][number];

export type ValidationResult = { ok: true; catalog: Catalog } | { ok: false; errors: string[] };

export interface ValidateOptions {
  /** Skill codes a shift may ask for (from skills.yaml); unchecked when absent. */
  skills?: readonly string[] | undefined;
}

const keysOf = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": keysOf(catalogSchema),
  sites: keysOf(siteSchema),
  venues: keysOf(venueSchema),
  courses: keysOf(courseSchema),
  shifts: keysOf(shiftSchema),
  schedule: [...WEEKLY_KEYS, "skip", "dates"],
  dates: ["date", "time", "duration_minutes"],
  enrolment: ["opens", "closes"],
  title: ["zh", "en"],
  name: ["zh", "en"],
  description: ["zh", "en"],
  address: ["zh", "en"],
};

/** The field names allowed at `path`, judged by the nearest named key above it. */
function knownCatalogKeys(path: readonly PropertyKey[]): readonly string[] {
  const named = [...path].reverse().find((k) => typeof k === "string");
  return KNOWN_KEYS[typeof named === "string" ? named : ""] ?? [];
}

/** Structural and cross-reference problems of a raw catalog, plus the parsed catalog when there are none. */
export function catalogProblems(
  raw: unknown,
  options: ValidateOptions = {},
): { catalog?: Catalog; problems: Problem[] } {
  const parsed = catalogSchema.safeParse(raw, { reportInput: true });
  const problems = parsed.success ? [] : problemsFromZod(parsed.error.issues, knownCatalogKeys);
  // References are checked on the raw data too, so one run reports a typo and a bad reference together.
  problems.push(...crossCheck(raw, options));
  return parsed.success && problems.length === 0 ? { catalog: parsed.data, problems } : { problems };
}

/**
 * Validates a catalog read from YAML or JSON. On failure `errors` lists every problem found, one
 * line each, starting with its path: `courses[3].capacity: must be a positive integer (got -5)`.
 */
export function validateCatalog(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const { catalog, problems } = catalogProblems(raw, options);
  return catalog ? { ok: true, catalog } : { ok: false, errors: problemLines(problems) };
}
