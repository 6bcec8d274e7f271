import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root folder (where package.json is), found from this module's own place, so
 * that files shipped beside the code (migrations, locales, the web chat's page) are found both
 * when running from src/ and from the bundle in dist/.
 */
function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "lifelong") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no lifelong package.json above ${from}`);
    dir = up;
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `fromRoot("locales")`. */
export const fromRoot = (...parts: string[]): string => join(ROOT, ...parts);
