import type { Template } from "./types.ts";

/**
 * Every template the outbox may name, by key. A feature adds its own file beside this one and
 * spreads its record in here; keys are `<feature>.<name>`.
 */
export const TEMPLATES: Record<string, Template> = {};
