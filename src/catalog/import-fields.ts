/**
 * Field schemas shared by the catalog, targets and skills files, each with the wording a staff
 * member sees when the value is wrong ("is required" when it is missing altogether).
 */
import { z } from "zod";
import { isValidDate, isValidTime, parseLocalDateTime } from "./schedule.ts";

/** A custom check's error: "is required" for a missing field, `message` for a wrong one. */
export const required = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message),
});

/** A whole number from `min` to `max`, with `message` when it is anything else. */
export const wholeNumber = (min: number, max: number, message: string) =>
  z.custom<number>(
    (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max,
    required(message),
  );

export const positiveInt = wholeNumber(1, 1_000_000, "must be a positive integer");
export const age = wholeNumber(0, 120, "must be an age in years, 0 to 120");
export const text = z.string().trim().min(1);
export const code = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    "must be lower-case letters, digits and dashes, like jt-calligraphy-senior",
  );
export const date = z.custom<string>(
  (v) => typeof v === "string" && isValidDate(v),
  required("must be a date like 2026-11-02"),
);
export const time = z.custom<string>(
  (v) => typeof v === "string" && isValidTime(v),
  required('must be a 24-hour time like "09:00" or "14:30"'),
);
export const localDateTime = z.custom<string>(
  (v) => typeof v === "string" && parseLocalDateTime(v) !== null,
  required('must be a local date and time like "2026-12-05 09:00"'),
);
export const dateOrDateTime = z.custom<string>(
  (v) => typeof v === "string" && (isValidDate(v) || parseLocalDateTime(v) !== null),
  required('must be a date like 2026-11-02 or a date and time like "2026-11-02 18:00"'),
);
export const skillCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a skill code like first_aid");
export const duration = wholeNumber(1, 24 * 60 - 1, "must be a whole number of minutes, 1 to 1439");
export const bilingual = z.strictObject({ zh: text, en: text });
export const optionalBilingual = z.strictObject({
  zh: z.string().trim().default(""),
  en: z.string().trim().default(""),
});
