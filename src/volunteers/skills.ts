import { dirname, join } from "node:path";
import type { Skill } from "../catalog/catalog-schema.ts";
import { loadSkills } from "../catalog/catalog-schema.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";

const cache = new Map<string, Skill[]>();

/** data/skills.yaml sits beside the catalog file. */
export function skillsPath(config: Pick<Config, "catalogPath">): string {
  return join(dirname(config.catalogPath), "skills.yaml");
}

/**
 * The skill list volunteers choose from, read once per path. A missing or broken file gives an
 * empty list (with a warning) rather than a broken sign-up: free text still records skills.
 */
export function skillList(config: Pick<Config, "catalogPath">, logger?: Logger): Skill[] {
  const path = skillsPath(config);
  let skills = cache.get(path);
  if (!skills) {
    try {
      skills = loadSkills(path);
    } catch (err) {
      logger?.warn({ err, path }, "could not read the skill list");
      skills = [];
    }
    cache.set(path, skills);
  }
  return skills;
}
