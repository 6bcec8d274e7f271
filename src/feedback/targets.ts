import { loadTargets } from "../catalog/catalog-schema.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";

/** Used when data/targets.yaml cannot be read. */
export const DEFAULT_WISH_THRESHOLD = 5;

/** `wish_threshold` from data/targets.yaml, read on each call (staff may edit the file). */
export function wishThreshold(config: Pick<Config, "targetsPath">, logger?: Logger): number {
  try {
    return loadTargets(config.targetsPath).wish_threshold;
  } catch (err) {
    logger?.warn(
      { err, path: config.targetsPath },
      "could not read the targets; using the default wish threshold",
    );
    return DEFAULT_WISH_THRESHOLD;
  }
}
