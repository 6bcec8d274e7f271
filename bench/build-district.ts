/**
 * `node --import tsx bench/build-district.ts <path> <scale> [seed]`: builds the district into a
 * new database file and prints its counts as JSON. The benchmarks run it in a child process so
 * that the large page cache of the bulk load never shows in their resident set size.
 */
import { openDatabase } from "../src/db/connection.ts";
import { migrate } from "../src/db/migrate.ts";
import { buildDistrict } from "./district.ts";

const [path, scale, seed] = process.argv.slice(2);
if (!path || !scale) throw new Error("usage: build-district.ts <path> <scale> [seed]");
const db = openDatabase(path);
migrate(db);
const counts = buildDistrict(db, { scale: Number(scale), ...(seed ? { seed: Number(seed) } : {}) });
db.pragma("wal_checkpoint(TRUNCATE)");
db.close();
process.stdout.write(`${JSON.stringify(counts)}\n`);
