/**
 * Problems found in a catalog, targets or skills file, phrased for the school staff who edit
 * those files by hand: one line per problem, starting with where it is (`courses[3].capacity`).
 */
import type { z } from "zod";
import { cutText } from "../text.ts";

/** A problem at a place in the file; `path` is the list of keys and array indexes leading to it. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

/** A file that cannot be used. `errors` holds every problem found, one readable line each. */
export class CatalogError extends Error {
  constructor(
    readonly errors: string[],
    readonly file?: string,
  ) {
    const where = file ? ` ${file}` : "";
    super(
      `Invalid file${where} (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${errors.map((e) => `  - ${e}`).join("\n")}`,
    );
    this.name = "CatalogError";
  }
}

/** `["courses", 3, "capacity"]` → `courses[3].capacity`; the empty path is the file itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(top level)" : out;
}

/** A short rendering of a value for "(got …)", so a long description does not flood the line. */
export function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a group of fields";
  if (typeof value === "string") {
    const shown = cutText(value, 40, "...");
    return JSON.stringify(shown);
  }
  return String(value);
}

const got = (issue: { input?: unknown }): string =>
  "input" in issue && issue.input !== undefined ? ` (got ${describeValue(issue.input)})` : "";

const TYPE_WORDS: Record<string, string> = {
  string: "must be text",
  number: "must be a number",
  int: "must be a whole number",
  boolean: "must be true or false",
  array: "must be a list",
  object: "must be a group of fields (key: value)",
};

/** Edit distance, to suggest the field name a typo was meant to be. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key`, if it is close enough to be a likely typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestScore) {
      bestScore = d;
      best = k;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Rewrites zod's issues in plain words. Refinements already carry our own wording; the generic
 * issues (wrong type, missing field, unknown field, value not in a list) are worded here.
 * `knownKeys` gives the field names allowed at a path, for "did you mean".
 */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  knownKeys: (path: readonly PropertyKey[]) => readonly string[],
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...issue.path];
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          const known = knownKeys(path);
          const guess = suggestKey(key, known);
          const hint = guess
            ? ` (did you mean "${guess}"?)`
            : known.length > 0
              ? ` (allowed: ${known.join(", ")})`
              : "";
          out.push({ path: [...path, key], message: `unknown field${hint}` });
        }
        break;
      case "invalid_type":
        out.push({
          path,
          message:
            issue.input === undefined
              ? "is required"
              : `${TYPE_WORDS[issue.expected] ?? `must be ${issue.expected}`}${got(issue)}`,
        });
        break;
      case "invalid_value":
        out.push({ path, message: `must be one of: ${issue.values.map(String).join(", ")}${got(issue)}` });
        break;
      case "too_small": {
        const min = Number(issue.minimum);
        let message: string;
        if (issue.origin === "string")
          message = min <= 1 ? "must not be empty" : `must be at least ${min} characters`;
        else if (issue.origin === "array") message = `must list at least ${min} item${min === 1 ? "" : "s"}`;
        else message = issue.inclusive === false ? `must be more than ${min}` : `must be ${min} or more`;
        out.push({ path, message: `${message}${got(issue)}` });
        break;
      }
      case "too_big": {
        const max = Number(issue.maximum);
        let message: string;
        if (issue.origin === "string") message = `must be at most ${max} characters`;
        else if (issue.origin === "array") message = `must list at most ${max} items`;
        else message = issue.inclusive === false ? `must be less than ${max}` : `must be ${max} or less`;
        out.push({ path, message: `${message}${got(issue)}` });
        break;
      }
      case "custom": {
        // Our own checks: show a plain value back, never a whole entry the check looked at.
        const input = issue.input;
        const plain = typeof input === "string" || typeof input === "number" || typeof input === "boolean";
        out.push({ path, message: `${issue.message}${plain ? got(issue) : ""}` });
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

const SECTION_ORDER = ["sites", "venues", "courses", "shifts"];

/**
 * Problems in the order they appear in the file (section, then entry), so that a staff member can
 * fix them from top to bottom; duplicates (the same line reached twice) are dropped.
 */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem): [number, number] => {
    const section = typeof p.path[0] === "string" ? SECTION_ORDER.indexOf(p.path[0]) : -1;
    const index = typeof p.path[1] === "number" ? p.path[1] : -1;
    return [section === -1 ? (p.path.length === 0 ? -1 : SECTION_ORDER.length) : section, index];
  };
  const seen = new Set<string>();
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map((x) => x.p)
    .filter((p) => {
      const line = `${formatPath(p.path)}: ${p.message}`;
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    });
}

/** One line per problem: `courses[3].capacity: must be a positive integer (got -5)` plus an optional suffix. */
export function formatProblem(problem: Problem, suffix = ""): string {
  return `${formatPath(problem.path)}: ${problem.message}${suffix}`;
}
