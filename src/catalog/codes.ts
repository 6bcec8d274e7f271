/**
 * The fixed code lists shared by the catalog file, the database and the bot. Labels live in
 * `locales/<lang>/codes.json` under the same keys, so that a code never reaches a user raw.
 * Adding a code here means adding its label in both languages.
 */

/** Course categories: one per kind of course the plan asks for, plus events and youth work. */
export const CATEGORIES = [
  "exercise", // meridian exercises, tai chi
  "language", // children's English
  "computer", // computers and smartphones for the elderly
  "arts", // painting and calligraphy
  "crafts", // knitting
  "parenting", // pregnancy education, parent school
  "employment", // training for laid-off and unemployed people, employees' continuing education
  "sports", // table tennis
  "health", // health lectures, first aid
  "civics", // civic etiquette, settling into city life
  "culture", // performances, festivals, the public lecture hall
  "youth", // summer-holiday and weekend activities
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Who a course is meant for; the plan's list of target groups. */
export const AUDIENCES = [
  "preschool",
  "pupils",
  "parents",
  "parents_to_be",
  "adults",
  "job_seekers",
  "seniors",
  "migrants",
  "women",
  "special_needs",
  "everyone",
] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Must match the CHECK on courses.kind. */
export const COURSE_KINDS = ["course", "lecture", "event"] as const;
export type CourseKind = (typeof COURSE_KINDS)[number];

/** Must match the CHECK on courses.status. */
export const COURSE_STATUSES = ["draft", "open", "closed", "cancelled"] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** The three levels of the network; must match the CHECK on sites.kind. */
export const SITE_KINDS = ["centre", "school", "partner"] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** How a participant relates to the account holder; must match the CHECK on people.relation. */
export const RELATIONS = [
  "self",
  "parent",
  "child",
  "spouse",
  "grandparent",
  "grandchild",
  "sibling",
  "other",
] as const;
export type Relation = (typeof RELATIONS)[number];

/** Weekday codes used in catalog schedules; index = the weekday number of src/time.ts (0 = Monday). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Parts of the day, as numbered by daySlot() in src/time.ts and the volunteer availability bits. */
export const DAY_SLOTS = ["morning", "afternoon", "evening"] as const;
export type DaySlot = (typeof DAY_SLOTS)[number];

const has =
  <T extends string>(list: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === "string" && (list as readonly string[]).includes(value);

/** True when `value` is one of CATEGORIES. */
export const isCategory = has(CATEGORIES);
/** True when `value` is one of AUDIENCES. */
export const isAudience = has(AUDIENCES);
/** True when `value` is one of COURSE_KINDS. */
export const isCourseKind = has(COURSE_KINDS);
/** True when `value` is one of SITE_KINDS. */
export const isSiteKind = has(SITE_KINDS);
/** True when `value` is one of RELATIONS. */
export const isRelation = has(RELATIONS);
/** True when `value` is one of WEEKDAYS. */
export const isWeekday = has(WEEKDAYS);
