import { writeFileSync } from "node:fs";
import { systemClock } from "./clock.ts";
import { botToken, ConfigError, loadConfig } from "./config.ts";
import { createI18n } from "./i18n/index.ts";
import { makePosterByCode, posterFileName } from "./publicity/posters.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/connection.ts";
import type { Db } from "./db/connection.ts";
import { migrate } from "./db/migrate.ts";
import { CatalogError, importCatalogFile } from "./catalog/import.ts";
import { seedDemo } from "./demo/demo.ts";
import { createLogger } from "./logger.ts";
import type { Logger } from "./logger.ts";
import { backupDatabase } from "./jobs/backup.ts";
import { JOBS } from "./jobs/index.ts";
import { runJobOnce } from "./jobs/runner.ts";
import { formatOutboxReport, outboxReport } from "./notify/report.ts";
import { grantRole, revokeRole } from "./staff/grants.ts";
import { chatTag, chatTagKey } from "./ops/chat-tag.ts";
import { formatDoctor, runDoctor } from "./ops/doctor.ts";
import { backupTo, restoreDatabase } from "./ops/restore.ts";

/** Operator commands: `npm run cli -- <command> [args]`. Each prints plain lines and exits. */
const USAGE = `Usage: npm run cli -- <command>

  migrate                  apply pending database migrations
  import [file]            validate and load a catalog (default: CATALOG_PATH, data/catalog.yaml)
  seed --demo              add demo residents, enrolments, volunteers and feedback
  outbox                   count outbox messages by state; show why rows failed, expired or wait
  job <name>               run one scheduled job once, now (names: see 'job --list')
  backup [--to <dir>]      write an online backup of the database now (into BACKUP_DIR, or another folder)
  restore <backup file>    replace the database with a backup (the bot must be stopped; the current one is kept)
  log-tag <user id>        how that person's chat appears in the logs (the "chat" field)
  doctor                   check the configuration, Telegram, the database, backups and jobs; exit 1 on a failure
  grant <user> <role> [scope]   give a role: admin | staff [site code] | teacher <course code>
  revoke <user> <role> [scope]  take it away again
  poster <course|site> [--out file.pdf]  an A4 poster (PDF, and a PNG beside it) with a QR code
`;

type Command = (ctx: {
  config: Config;
  db: Db;
  logger: Logger;
  args: string[];
  out: (line: string) => void;
}) => Promise<number> | number;

/** Asks Telegram (or the configured Bot API) for the bot's username; undefined without a token. */
async function botUsernameFromTelegram(config: Config): Promise<string | undefined> {
  const token = botToken(config);
  if (!token) return undefined;
  try {
    const res = await fetch(`${config.apiRoot}/bot${token}/getMe`);
    const body = (await res.json()) as { ok: boolean; result?: { username?: string } };
    return body.ok ? body.result?.username : undefined;
  } catch {
    return undefined;
  }
}

/** The operator's own id in the audit log: 0, "the command line". */
const OPERATOR = 0;

function roleCommand(kind: "grant" | "revoke"): Command {
  return ({ db, args, out }) => {
    const [user, role, scope] = args;
    if (!user || !role) {
      out(`usage: ${kind} <user id or @username> <admin|staff|teacher> [site or course code]`);
      return 2;
    }
    migrate(db);
    const now = systemClock.now();
    // An operator may name someone who has not written to the bot yet.
    if (kind === "grant" && /^\d+$/.test(user)) {
      db.prepare("INSERT INTO users (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING").run(
        Number(user),
        now.toISOString(),
      );
    }
    const result = (kind === "grant" ? grantRole : revokeRole)(db, OPERATOR, user, role, scope, now);
    if (!result.ok) {
      out(`${kind} refused: ${result.problem}`);
      return 1;
    }
    out(
      `${kind === "grant" ? "granted" : "revoked"}: ${result.role} for user ${result.userId}${result.changed ? "" : " (no change)"}`,
    );
    out("the command menu follows at the bot's next start");
    return 0;
  };
}

const commands: Record<string, Command> = {
  migrate: ({ db, out }) => {
    const applied = migrate(db);
    out(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
    return 0;
  },

  import: ({ config, db, args, out }) => {
    migrate(db);
    const file = args[0] ?? config.catalogPath;
    try {
      const result = importCatalogFile(db, file, { timezone: config.timezone, now: systemClock.now() });
      out(`imported ${file}`);
      out(JSON.stringify(result, null, 2));
      return 0;
    } catch (err) {
      if (err instanceof CatalogError) {
        out(`${file} was rejected; nothing was changed:`);
        for (const e of err.errors) out(`  ${e}`);
        return 1;
      }
      throw err;
    }
  },

  seed: ({ config, db, args, out }) => {
    if (!args.includes("--demo")) {
      out("seed needs --demo (demo data is never added by accident)");
      return 2;
    }
    migrate(db);
    const counts = db.prepare("SELECT count(*) FROM courses").pluck().get() as number;
    if (counts === 0)
      importCatalogFile(db, config.catalogPath, { timezone: config.timezone, now: systemClock.now() });
    const result = seedDemo(db, { timezone: config.timezone, now: systemClock.now() });
    out(`demo data: ${JSON.stringify(result)}`);
    return 0;
  },

  outbox: ({ config, db, out }) => {
    migrate(db);
    out(formatOutboxReport(outboxReport(db, systemClock.now()), [botToken(config)]));
    return 0;
  },

  job: async ({ config, db, logger, args, out }) => {
    const name = args[0];
    if (!name || name === "--list") {
      for (const job of JOBS) out(`${job.name.padEnd(20)} ${job.schedule}`);
      return name ? 0 : 2;
    }
    migrate(db);
    if (!JOBS.some((j) => j.name === name)) {
      out(`no job called "${name}"; known: ${JOBS.map((j) => j.name).join(", ")}`);
      return 2;
    }
    const result = await runJobOnce({ db, config, logger, clock: systemClock }, name);
    out(`${name}: ${JSON.stringify(result)}`);
    out("messages it queued are sent by the running bot");
    return 0;
  },

  backup: async ({ config, db, args, out }) => {
    if (args[0] === "--to") {
      const dir = args[1];
      if (!dir) {
        out("usage: backup --to <folder>");
        return 2;
      }
      const { file, problem } = await backupTo(db, dir, systemClock.now());
      if (problem) {
        out(`backup written to ${file} but it does not check out: ${problem}`);
        return 1;
      }
      out(`backup written and checked: ${file}`);
      return 0;
    }
    const { file, removed } = await backupDatabase(
      db,
      config.backupDir,
      config.backupKeep,
      systemClock.now(),
    );
    out(`backup written: ${file}`);
    if (removed.length) out(`old backups removed: ${removed.join(", ")}`);
    return 0;
  },

  restore: async ({ config, args, out }) => {
    const file = args[0];
    if (!file) {
      out(
        "usage: restore <backup file>   (backups are in BACKUP_DIR, e.g. data/backups/lifelong-20261128-033000.db)",
      );
      return 2;
    }
    const result = await restoreDatabase(config.databasePath, file, systemClock.now());
    if (!result.ok) {
      out(`restore ${result.problem}`);
      return 1;
    }
    for (const line of result.lines) out(line);
    return 0;
  },

  doctor: async ({ config, out }) => {
    const results = await runDoctor({ config, jobs: JOBS, now: systemClock.now() });
    for (const line of formatDoctor(results)) out(line);
    return results.some((r) => r.status === "fail") ? 1 : 0;
  },

  "log-tag": ({ config, args, out }) => {
    const id = Number(args[0]);
    if (!Number.isSafeInteger(id)) {
      out("usage: log-tag <Telegram user id>");
      return 2;
    }
    out(String(chatTag(id, "private", chatTagKey(botToken(config)))));
    return 0;
  },

  poster: async ({ config, db, args, out }) => {
    const outAt = args.indexOf("--out");
    const file = outAt >= 0 ? args[outAt + 1] : undefined;
    const botAt = args.indexOf("--bot");
    const values = new Set([outAt, botAt].filter((i) => i >= 0).map((i) => i + 1));
    const code = args.find((a, i) => !a.startsWith("--") && !values.has(i));
    if (!code || (outAt >= 0 && !file)) {
      out("usage: poster <course or site code> [--out file.pdf] [--bot username]");
      return 2;
    }
    migrate(db);
    const botUsername =
      (botAt >= 0 ? args[botAt + 1] : undefined) ??
      config.botUsername ??
      (await botUsernameFromTelegram(config));
    if (!botUsername) {
      out("the bot's username is needed for the QR code: set BOT_USERNAME, pass --bot, or set BOT_TOKEN");
      return 2;
    }
    const i18n = await createI18n(config.defaultLocale);
    const env = {
      db,
      i18n,
      botUsername: botUsername.replace(/^@/, ""),
      now: systemClock.now(),
      timezone: config.timezone,
    };
    const files = await makePosterByCode(env, code);
    if (!files) {
      out(`no course or site has the code "${code}"`);
      return 1;
    }
    const pdfPath = file ?? posterFileName(code, "pdf");
    const pngPath = `${pdfPath.replace(/\.pdf$/i, "")}.png`;
    writeFileSync(pdfPath, files.pdf);
    writeFileSync(pngPath, files.png);
    out(`poster for ${files.title} / ${files.titleEn}`);
    out(`written: ${pdfPath} (${files.pdf.length} bytes), ${pngPath} (${files.png.length} bytes)`);
    out(`QR code opens: ${files.link}`);
    return 0;
  },

  grant: roleCommand("grant"),
  revoke: roleCommand("revoke"),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const command = name ? commands[name] : undefined;
  if (!command) {
    out(USAGE);
    return name ? 2 : 0;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      if (name === "doctor") for (const p of err.problems) out(`fail  config      ${p}`);
      else process.stderr.write(`${err.problems.join("\n")}\n`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger({
    level: config.logLevel === "info" ? "warn" : config.logLevel,
    secrets: [botToken(config)],
  });
  // Opened on first use: restore and doctor must not create or hold the database.
  let db: Db | undefined;
  try {
    return await command({
      config,
      get db() {
        db ??= openDatabase(config.databasePath);
        return db;
      },
      logger,
      args,
      out,
    });
  } finally {
    db?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
