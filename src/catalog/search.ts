/**
 * Free-text course search. A query is read into topic, age/who and time constraints
 * (search-parse.ts); courses that meet all of them are ranked by how well the topic and the
 * age fit, then joinable first. When nothing fits, the constraints are relaxed one at a time —
 * time first, then age, then topic — and the results are flagged as alternatives.
 */
import type { Db } from "../db/connection.ts";
import type { CourseView } from "./queries.ts";
import { compareForList, findCourses, STATE_RANK, upcomingSlots } from "./queries.ts";
import type { Who } from "./search-lexicon.ts";
import { AUDIENCE_AGES, WHO_AGES, WHO_AUDIENCES } from "./search-lexicon.ts";
import type { ParsedQuery } from "./search-parse.ts";
import { containsWord, isEmptyQuery, normalize, parseQuery } from "./search-parse.ts";

export type { ParsedQuery };
export { parseQuery };

export type Constraint = "topic" | "age" | "time";

export type MatchReason =
  | { kind: "topic"; word: string }
  | { kind: "age"; age: number }
  | { kind: "who"; who: Who }
  | { kind: "time"; weekdays: number[] | null; slots: number[] | null };

export interface SearchHit {
  course: CourseView;
  reasons: MatchReason[];
}

export interface SearchResult {
  query: ParsedQuery;
  /** False when nothing in the query was recognised (only filler words). */
  understood: boolean;
  hits: SearchHit[];
  /** True when no course met every constraint and `hits` are the closest ones instead. */
  alternatives: boolean;
  /** The constraints left out to find the alternatives, in the order they were dropped. */
  dropped: Constraint[];
}

interface Fit {
  ok: boolean;
  strength: number;
  reasons: MatchReason[];
}

const ANY: Fit = { ok: true, strength: 0, reasons: [] };

function topicFit(c: CourseView, q: ParsedQuery): Fit {
  if (q.topics.length === 0 && q.terms.length === 0) return ANY;
  const title = normalize(`${c.title.zh} ${c.title.en}`);
  const keywords = normalize(c.keywords);
  const description = normalize(`${c.description.zh} ${c.description.en}`);
  const textScore = (word: string) =>
    containsWord(title, word)
      ? 3
      : containsWord(keywords, word)
        ? 2
        : containsWord(description, word)
          ? 1
          : 0;
  let strength = 0;
  const reasons: MatchReason[] = [];
  for (const { group, word } of q.topics) {
    // A topic's synonyms are looked for in the title and keywords only: descriptions mention
    // phones and health centres in passing, and a resident asking for "电脑" wants a computer class.
    let best = Math.max(0, ...group.words.map(textScore).map((n) => (n === 1 ? 0 : n)));
    if (group.categories?.includes(c.category)) best = Math.max(best, 2);
    if (group.audiences?.some((a) => c.audiences.includes(a))) best = Math.max(best, 2);
    if (group.kinds?.includes(c.kind)) best = Math.max(best, 2);
    if (best > 0) reasons.push({ kind: "topic", word });
    strength += best;
  }
  for (const term of q.terms) {
    const s = textScore(term);
    if (s > 0) reasons.push({ kind: "topic", word: term });
    strength += s;
  }
  return { ok: strength > 0, strength, reasons };
}

function whoOfAge(age: number): Who | null {
  if (age <= 15) return "child";
  if (age >= 60) return "senior";
  return null;
}

function ageFit(c: CourseView, q: ParsedQuery): Fit {
  if (q.age === null && q.who === null) return ANY;
  const [lo, hi] = q.age !== null ? [q.age, q.age] : WHO_AGES[q.who ?? "child"];
  const who = q.age !== null ? whoOfAge(q.age) : q.who;
  const explicit = c.minAge !== null || c.maxAge !== null;
  const overlaps = ([a, b]: readonly [number, number]) => a <= hi && lo <= b;
  // Both must fit: an age limit of "18 and over" on a pregnancy class does not make it a class for a 70-year-old.
  const audienceRanges = c.audiences.map((a) => AUDIENCE_AGES[a] ?? ([0, 120] as [number, number]));
  if (explicit && !overlaps([c.minAge ?? 0, c.maxAge ?? 120])) return { ok: false, strength: 0, reasons: [] };
  if (audienceRanges.length > 0 && !audienceRanges.some(overlaps))
    return { ok: false, strength: 0, reasons: [] };
  const named = who !== null && WHO_AUDIENCES[who].some((a) => c.audiences.includes(a));
  const narrow = explicit && (c.maxAge ?? 120) - (c.minAge ?? 0) <= 40;
  const reasons: MatchReason[] = [
    q.age !== null ? { kind: "age", age: q.age } : { kind: "who", who: q.who ?? "child" },
  ];
  return { ok: true, strength: named || narrow ? 2 : 1, reasons };
}

function timeFit(slots: ReadonlyArray<{ weekday: number; slot: number }>, q: ParsedQuery): Fit {
  if (!q.weekdays && !q.slots) return ANY;
  const ok = slots.some(
    (s) => (!q.weekdays || q.weekdays.includes(s.weekday)) && (!q.slots || q.slots.includes(s.slot)),
  );
  return ok
    ? { ok, strength: 1, reasons: [{ kind: "time", weekdays: q.weekdays, slots: q.slots }] }
    : { ok, strength: 0, reasons: [] };
}

/**
 * A topic word with a category of its own ("knitting" → crafts) finds that category's courses,
 * not others that merely mention the word ("crafts" in an art class's description): when the
 * category has a fitting course, the rest go unless the word is in their title.
 */
function narrowToOwnCategory(
  fits: Array<{ course: CourseView; topic: Fit }>,
  query: ParsedQuery,
  dropped: Constraint[],
): void {
  if (dropped.includes("topic")) return;
  const own = new Set(query.topics.flatMap((t) => t.group.categories ?? []));
  if (own.size === 0 || !fits.some((f) => own.has(f.course.category))) return;
  const kept = fits.filter((f) => own.has(f.course.category) || f.topic.strength >= 3);
  fits.splice(0, fits.length, ...kept);
}

/** The order in which constraints are given up when nothing fits. */
function relaxations(q: ParsedQuery): Constraint[][] {
  const has: Record<Constraint, boolean> = {
    topic: q.topics.length > 0 || q.terms.length > 0,
    age: q.age !== null || q.who !== null,
    time: q.weekdays !== null || q.slots !== null,
  };
  const plans: Constraint[][] = [
    [],
    ["time"],
    ["time", "age"],
    ["topic"],
    ["topic", "time"],
    ["topic", "time", "age"],
  ];
  const seen = new Set<string>();
  return plans
    .map((p) => p.filter((c) => has[c]))
    .filter((p) => {
      const key = p.join(",");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * Searches the catalog for what a resident typed. Finished, cancelled and draft courses are
 * never returned. Hits carry the reasons they matched; see SearchResult for alternatives.
 */
export function searchCourses(db: Db, input: string | ParsedQuery, now: Date, tz: string): SearchResult {
  const query = typeof input === "string" ? parseQuery(input) : input;
  const courses = findCourses(db, {}, now, tz);
  const understood = !isEmptyQuery(query);
  if (!understood) {
    return {
      query,
      understood,
      hits: courses.sort(compareForList).map((course) => ({ course, reasons: [] })),
      alternatives: true,
      dropped: [],
    };
  }
  const slots = upcomingSlots(db, now, tz);
  const scored = courses.map((course) => ({
    course,
    topic: topicFit(course, query),
    age: ageFit(course, query),
    time: timeFit(slots.get(course.id) ?? [], query),
  }));
  for (const dropped of relaxations(query)) {
    const fits = scored.filter(
      (s) =>
        (dropped.includes("topic") || s.topic.ok) &&
        (dropped.includes("age") || s.age.ok) &&
        (dropped.includes("time") || s.time.ok),
    );
    if (fits.length === 0) continue;
    narrowToOwnCategory(fits, query, dropped);
    const bucket = (n: number) => (n >= 3 ? 2 : n > 0 ? 1 : 0);
    fits.sort(
      (a, b) =>
        bucket(b.topic.strength) - bucket(a.topic.strength) ||
        (b.age.ok ? b.age.strength : 0) - (a.age.ok ? a.age.strength : 0) ||
        Number(b.time.ok) - Number(a.time.ok) ||
        STATE_RANK[a.course.availability.state] - STATE_RANK[b.course.availability.state] ||
        b.topic.strength - a.topic.strength ||
        compareForList(a.course, b.course),
    );
    return {
      query,
      understood,
      hits: fits.map((s) => ({
        course: s.course,
        reasons: [
          ...(s.topic.ok ? s.topic.reasons : []),
          ...(s.age.ok ? s.age.reasons : []),
          ...(s.time.ok ? s.time.reasons : []),
        ],
      })),
      alternatives: dropped.length > 0,
      dropped,
    };
  }
  return { query, understood, hits: [], alternatives: false, dropped: [] };
}
