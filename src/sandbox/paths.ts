/** The sandbox's own database when DATABASE_PATH is not set (kept apart from a real one). */
export const SANDBOX_DB = "data/sandbox.db";
