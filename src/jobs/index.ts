import type { JobSpec } from "./types.ts";

/** Every scheduled job, by name. A feature adds its JobSpec here (one line). */
export const JOBS: JobSpec[] = [];
