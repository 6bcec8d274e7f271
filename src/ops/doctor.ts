import { existsSync, readdirSync, statfsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { Config } from "../config.ts";
import type { JobSpec } from "../jobs/types.ts";
import { inspectDatabaseFile, latestSchemaVersion } from "./database-file.ts";
import { lockHolder } from "./instance-lock.ts";
import { telegramChecks } from "./doctor-telegram.ts";
import type { CheckResult, Status } from "./doctor-telegram.ts";
import { jobLateness } from "./job-periods.ts";

export type { CheckResult, Status };

export interface DoctorDeps {
  config: Config;
  jobs: readonly JobSpec[];
  now: Date;
  /** Seconds to wait for the Bot API. Default 10. */
  timeoutSeconds?: number;
}

/** A backup older than this fails (the nightly job missed a night and a half). */
export const BACKUP_MAX_AGE_MS = 36 * 3_600_000;
const MB = 1024 * 1024;
const BACKUP_FILE = /^lifelong-\d{8}-\d{6}\.db$/;

const hours = (ms: number): string => `${Math.round(ms / 360_000) / 10} h`;

function span(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return hours(ms);
  return `${Math.round(ms / 86_400_000)} days`;
}

function configCheck(config: Config): CheckResult {
  const notes: string[] = [];
  let status: Status = "ok";
  if (config.mode.kind === "sandbox") {
    status = "warn";
    notes.push("no BOT_TOKEN: npm start runs the local sandbox, not a bot on Telegram");
  }
  if (config.adminIds.length === 0) {
    status = "warn";
    notes.push("no ADMIN_IDS: nobody can manage the bot; set ADMIN_IDS to your Telegram user id");
  }
  if (config.mode.kind === "webhook" && !config.mode.url.startsWith("https://")) {
    status = "fail";
    notes.push("WEBHOOK_URL must be https: Telegram calls nothing else");
  }
  if (config.metrics && config.mode.kind === "polling" && config.healthPort === undefined)
    notes.push("METRICS=1 has no effect in polling mode without HEALTH_PORT");
  const summary = `BOT_MODE=${config.mode.kind}, database ${config.databasePath}, backups ${config.backupDir}`;
  return { name: "config", status, message: notes.length ? `${notes.join("; ")} (${summary})` : summary };
}

function diskCheck(path: string): CheckResult {
  const dir = dirname(path);
  try {
    const fs = statfsSync(existsSync(dir) ? dir : ".");
    const free = fs.bavail * fs.bsize;
    const dbSize = existsSync(path) ? statSync(path).size : 0;
    const text = `${Math.round(free / MB)} MB free beside the database (${Math.round(dbSize / MB)} MB)`;
    if (free < Math.max(100 * MB, 2 * dbSize))
      return { name: "disk", status: "fail", message: `${text}: too little for a backup; free some space` };
    if (free < 1024 * MB) return { name: "disk", status: "warn", message: `${text}: less than 1 GB` };
    return { name: "disk", status: "ok", message: text };
  } catch (err) {
    return { name: "disk", status: "skip", message: `could not check: ${String(err)}` };
  }
}

function backupCheck(dir: string, now: Date): CheckResult {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => BACKUP_FILE.test(f)) : [];
  if (files.length === 0)
    return { name: "backup", status: "warn", message: `no backup in ${dir} yet: run npm run cli -- backup` };
  const newest = files
    .map((f) => ({ file: join(dir, f), at: statSync(join(dir, f)).mtime }))
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0] as { file: string; at: Date };
  const age = now.getTime() - newest.at.getTime();
  const check = inspectDatabaseFile(newest.file);
  if (!check.ok)
    return { name: "backup", status: "fail", message: `the last backup does not open: ${check.problem}` };
  if (age > BACKUP_MAX_AGE_MS)
    return {
      name: "backup",
      status: "fail",
      message: `the last backup is ${span(age)} old (${newest.file}): the nightly backup is not running; is the bot running? run npm run cli -- backup now`,
    };
  return {
    name: "backup",
    status: "ok",
    message: `${newest.file}, ${span(age)} old, opens (schema ${check.info.schemaVersion})`,
  };
}

/** The checks that read the database, opened read-only. */
function databaseChecks(deps: DoctorDeps): CheckResult[] {
  const { config, now } = deps;
  const path = config.databasePath;
  if (!existsSync(path))
    return [
      {
        name: "database",
        status: "fail",
        message: `no database at ${path}: start the bot once or run npm run cli -- migrate`,
      },
    ];
  const results: CheckResult[] = [];
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma("user_version", { simple: true }) as number;
    const latest = latestSchemaVersion();
    results.push(
      version === latest
        ? { name: "migrations", status: "ok", message: `all ${latest} applied` }
        : version < latest
          ? {
              name: "migrations",
              status: "warn",
              message: `${latest - version} pending (database at ${version}, code at ${latest}): the bot applies them at start, or run npm run cli -- migrate`,
            }
          : {
              name: "migrations",
              status: "fail",
              message: `the database is at schema ${version}, newer than this code (${latest}): run the newer code, or restore a backup made by this version`,
            },
    );
    const quick = db.pragma("quick_check", { simple: true }) as string;
    results.push(
      quick === "ok"
        ? { name: "integrity", status: "ok", message: "PRAGMA quick_check: ok" }
        : {
            name: "integrity",
            status: "fail",
            message: `PRAGMA quick_check: ${quick}: stop the bot and restore the last good backup (npm run cli -- restore <file>)`,
          },
    );
    const outbox = db
      .prepare(
        `SELECT sum(state = 'failed' AND created_at >= ?) AS failed, sum(state = 'uncertain') AS uncertain
         FROM outbox`,
      )
      .get(new Date(now.getTime() - 7 * 86_400_000).toISOString()) as {
      failed: number | null;
      uncertain: number | null;
    };
    const failed = outbox.failed ?? 0;
    const uncertain = outbox.uncertain ?? 0;
    results.push(
      failed + uncertain === 0
        ? { name: "outbox", status: "ok", message: "no failed or uncertain messages" }
        : {
            name: "outbox",
            status: "warn",
            message: `${failed} failed in the last 7 days, ${uncertain} uncertain (Telegram may or may not have delivered them): see npm run cli -- outbox`,
          },
    );
    const jobs = jobLateness(db, deps.jobs, config.timezone, now);
    const overdue = jobs.filter((j) => j.overdue && j.lastRunAt);
    const never = jobs.filter((j) => !j.lastRunAt);
    if (overdue.length > 0)
      results.push({
        name: "jobs",
        status: "fail",
        message: `overdue: ${overdue.map((j) => `${j.name} last ran ${span(j.ageMs)} ago (every ${span(j.periodMs)})`).join(", ")}: is the bot running?`,
      });
    else if (never.length > 0)
      results.push({
        name: "jobs",
        status: "warn",
        message: `never ran yet: ${never.map((j) => j.name).join(", ")} (normal for a new install)`,
      });
    else results.push({ name: "jobs", status: "ok", message: `all ${jobs.length} ran on time` });
  } finally {
    db.close();
  }
  return results;
}

function timezoneCheck(config: Config, now: Date): CheckResult {
  const local = new Intl.DateTimeFormat("sv-SE", {
    timeZone: config.timezone,
    dateStyle: "short",
    timeStyle: "short",
  }).format(now);
  const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zh = new Intl.DateTimeFormat("zh-CN", { month: "long", timeZone: config.timezone }).format(now);
  if (!zh.includes("月"))
    return {
      name: "timezone",
      status: "warn",
      message: `${config.timezone}, now ${local} there; this Node has no Chinese date names (install a Node with full ICU)`,
    };
  return {
    name: "timezone",
    status: "ok",
    message: `${config.timezone}: it is ${local} there (this machine: ${machine})`,
  };
}

function instanceCheck(config: Config): CheckResult {
  const pid = lockHolder(config.databasePath);
  return pid
    ? { name: "running", status: "ok", message: `the bot runs on this database (pid ${pid})` }
    : { name: "running", status: "warn", message: "no bot is running on this database" };
}

/** Every check `npm run cli -- doctor` makes, in the order printed. Never throws for a check that fails. */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const { config, now } = deps;
  const guard = (name: string, fn: () => CheckResult[]): CheckResult[] => {
    try {
      return fn();
    } catch (err) {
      return [{ name, status: "fail", message: err instanceof Error ? err.message : String(err) }];
    }
  };
  return [
    configCheck(config),
    ...(await telegramChecks(config, deps.timeoutSeconds ?? 10)),
    instanceCheck(config),
    ...guard("database", () => databaseChecks(deps)),
    diskCheck(config.databasePath),
    ...guard("backup", () => [backupCheck(config.backupDir, now)]),
    timezoneCheck(config, now),
  ];
}

/** One line a check: `ok    token      @lifelong_bot (id 1)`. */
export function formatDoctor(results: CheckResult[]): string[] {
  const lines = results.map((r) => `${r.status.padEnd(5)} ${r.name.padEnd(11)} ${r.message}`);
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  lines.push(`${count("fail")} failed, ${count("warn")} warnings, ${count("skip")} not checked`);
  return lines;
}
