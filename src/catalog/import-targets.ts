/**
 * data/targets.yaml (the plan's yearly targets) and data/skills.yaml (volunteer skills), read and
 * checked the same way as the catalog.
 */
import { z } from "zod";
import { CatalogError, problemsFromZod } from "./import-errors.ts";
import { positiveInt, required, skillCode, text, wholeNumber } from "./import-fields.ts";
import type { StructuredFile } from "./import-file.ts";
import { problemLines, readStructuredFile } from "./import-file.ts";

const rate = z.custom<number>(
  (v) => typeof v === "number" && v >= 0 && v <= 1,
  required("must be a fraction from 0 to 1, like 0.5"),
);
const count = wholeNumber(0, 100_000_000, "must be a whole number, 0 or more");

/** data/targets.yaml: the plan's yearly targets that reports compare against. */
export const targetsSchema = z.strictObject({
  residents_educated: count,
  course_kinds: count,
  events: count,
  participation_rate: rate,
  employee_continuing_education_rate: rate,
  volunteer_hours: count,
  monthly_report: z.boolean(),
  wish_threshold: positiveInt,
});
export type Targets = z.output<typeof targetsSchema>;

/** One entry of data/skills.yaml. */
export const skillSchema = z.strictObject({ code: skillCode, zh: text, en: text });
export type Skill = z.output<typeof skillSchema>;
const skillsFileSchema = z.strictObject({ skills: z.array(skillSchema).min(1) }).superRefine((f, ctx) => {
  const seen = new Set<string>();
  f.skills.forEach((s, i) => {
    if (seen.has(s.code))
      ctx.addIssue({ code: "custom", path: ["skills", i, "code"], message: `"${s.code}" is listed twice` });
    seen.add(s.code);
  });
});

function loadWith<T>(
  file: StructuredFile,
  schema: z.ZodType<T>,
  known: (path: readonly PropertyKey[]) => readonly string[],
): T {
  const parsed = schema.safeParse(file.data, { reportInput: true });
  if (!parsed.success)
    throw new CatalogError(problemLines(problemsFromZod(parsed.error.issues, known), file), file.path);
  return parsed.data;
}

/** Reads and validates data/targets.yaml; throws CatalogError listing every problem. */
export function loadTargets(path: string): Targets {
  return loadWith(readStructuredFile(path), targetsSchema, () => Object.keys(targetsSchema.shape));
}

/** Reads and validates data/skills.yaml; throws CatalogError listing every problem. */
export function loadSkills(path: string): Skill[] {
  return loadWith(readStructuredFile(path), skillsFileSchema, (p) =>
    p.length === 0 ? ["skills"] : ["code", "zh", "en"],
  ).skills;
}
