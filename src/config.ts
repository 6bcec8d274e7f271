import { existsSync } from "node:fs";
import { z } from "zod";

/** Telegram's own Bot API; a self-hosted server or the sandbox emulator replaces it. */
export const TELEGRAM_API_ROOT = "https://api.telegram.org";

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const positiveIntList = (name: string) =>
  z
    .string()
    .trim()
    .refine((s) => s === "" || s.split(",").every((p) => /^\s*\d+\s*$/.test(p) && Number(p) > 0), {
      message: `${name} must be a comma-separated list of positive whole numbers`,
    })
    .transform((s) => (s === "" ? [] : s.split(",").map((p) => Number(p.trim()))));

const schema = z
  .object({
    BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456:ABC-DEF… (from @BotFather)")
      .optional(),
    BOT_API_ROOT: z
      .url({ message: "must be a URL such as https://api.telegram.org" })
      .default(TELEGRAM_API_ROOT),
    BOT_MODE: z.enum(["polling", "webhook"]).default("polling"),
    WEBHOOK_URL: z.url({ message: "must be the public https URL Telegram should call" }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
      .optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().trim().min(1).default("data/lifelong.db"),
    ADMIN_IDS: positiveIntList("ADMIN_IDS").default([]),
    TIMEZONE: z
      .string()
      .trim()
      .default("Asia/Shanghai")
      .refine(isTimeZone, { message: "is not a time zone this machine knows (try Asia/Shanghai)" }),
    DEFAULT_LOCALE: z.enum(["zh", "en"]).default("zh"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_PRETTY: z.enum(["0", "1"]).optional(),
    REMINDER_LEAD_HOURS: positiveIntList("REMINDER_LEAD_HOURS").default([24, 2]),
    OFFER_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .default(24),
    BACKUP_DIR: z.string().trim().min(1).default("data/backups"),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
    CATALOG_PATH: z.string().trim().min(1).default("data/catalog.yaml"),
    TARGETS_PATH: z.string().trim().min(1).default("data/targets.yaml"),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    HEALTH_HOST: z.string().trim().min(1).default("127.0.0.1"),
    METRICS: z.enum(["0", "1"]).optional(),
    BOT_USERNAME: z
      .string()
      .trim()
      .transform((s) => s.replace(/^@/, ""))
      .pipe(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "must be the bot's @username"))
      .optional(),
    PUBLIC_CHANNEL: z
      .string()
      .trim()
      .regex(/^-100\d{5,}$/, "must be the channel's numeric id, -100… (see README, Publicity)")
      .optional(),
    PUBLIC_CHANNEL_LOCALE: z.enum(["zh", "en"]).default("zh"),
  })
  .superRefine((env, ctx) => {
    if (env.BOT_MODE === "webhook") {
      if (!env.WEBHOOK_URL)
        ctx.addIssue({ code: "custom", path: ["WEBHOOK_URL"], message: "is required when BOT_MODE=webhook" });
      if (!env.WEBHOOK_SECRET)
        ctx.addIssue({
          code: "custom",
          path: ["WEBHOOK_SECRET"],
          message: "is required when BOT_MODE=webhook",
        });
    }
  });

type Env = z.infer<typeof schema>;

/**
 * How the bot meets Telegram. With no BOT_TOKEN it runs in the local sandbox; a webhook always
 * has its URL, secret and port, so nothing downstream has to assert they are there.
 */
export type RunMode =
  | { kind: "polling"; token: string }
  | { kind: "webhook"; token: string; url: string; secret: string; port: number }
  | { kind: "sandbox"; port: number };

/** The bot token, when there is one (the sandbox makes its own); secrets to keep out of logs. */
export function botToken(config: Pick<Config, "mode">): string | undefined {
  return config.mode.kind === "sandbox" ? undefined : config.mode.token;
}

/** The validated configuration; the rest of the program never reads process.env. */
export interface Config {
  mode: RunMode;
  apiRoot: string;
  databasePath: string;
  /** False when DATABASE_PATH was not given: the sandbox then keeps its own data/sandbox.db. */
  databasePathSet: boolean;
  adminIds: number[];
  timezone: string;
  defaultLocale: "zh" | "en";
  logLevel: Env["LOG_LEVEL"];
  logPretty: boolean;
  reminderLeadHours: number[];
  offerHours: number;
  backupDir: string;
  backupKeep: number;
  catalogPath: string;
  targetsPath: string;
  /** Polling mode: port of a small server for /healthz (and /metrics); unset, none. */
  healthPort: number | undefined;
  /** Where that server listens: loopback by default, so only the machine itself can ask. */
  healthHost: string;
  /** Serve /metrics (Prometheus text) beside /healthz. */
  metrics: boolean;
  /** The bot's @username without "@", for links made outside the bot (CLI posters); else getMe. */
  botUsername: string | undefined;
  /** The school's public channel (its -100… id) that the feed posts to; unset = no feed. */
  publicChannel: number | undefined;
  publicChannelLocale: "zh" | "en";
}

/** Startup refuses to go on; `problems` holds one readable line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates the environment. Empty strings count as unset, so that a `.env` line such as
 * `BOT_TOKEN=` means "no token" rather than "a bad token".
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const value = cleaned[name];
      const shown =
        value === undefined || name.includes("TOKEN") || name.includes("SECRET") ? "" : ` (got "${value}")`;
      return `${name}${shown}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = result.data;
  return {
    mode: runMode(e),
    apiRoot: e.BOT_API_ROOT.replace(/\/+$/, ""),
    databasePath: e.DATABASE_PATH,
    databasePathSet: cleaned.DATABASE_PATH !== undefined,
    adminIds: e.ADMIN_IDS,
    timezone: e.TIMEZONE,
    defaultLocale: e.DEFAULT_LOCALE,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY === "1",
    reminderLeadHours: [...new Set(e.REMINDER_LEAD_HOURS)].sort((a, b) => b - a),
    offerHours: e.OFFER_HOURS,
    backupDir: e.BACKUP_DIR,
    backupKeep: e.BACKUP_KEEP,
    catalogPath: e.CATALOG_PATH,
    targetsPath: e.TARGETS_PATH,
    healthPort: e.HEALTH_PORT,
    healthHost: e.HEALTH_HOST,
    metrics: e.METRICS === "1",
    botUsername: e.BOT_USERNAME,
    publicChannel: e.PUBLIC_CHANNEL === undefined ? undefined : Number(e.PUBLIC_CHANNEL),
    publicChannelLocale: e.PUBLIC_CHANNEL_LOCALE,
  };
}

function runMode(e: Env): RunMode {
  if (e.BOT_TOKEN === undefined) return { kind: "sandbox", port: e.SANDBOX_PORT };
  if (e.BOT_MODE === "polling") return { kind: "polling", token: e.BOT_TOKEN };
  // The schema's refinement has already refused a webhook without its URL or secret.
  if (e.WEBHOOK_URL === undefined || e.WEBHOOK_SECRET === undefined)
    throw new ConfigError(["WEBHOOK_URL: is required when BOT_MODE=webhook"]);
  return { kind: "webhook", token: e.BOT_TOKEN, url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, port: e.PORT };
}

/** Reads `.env` when present (without overriding the real environment), then validates. */
export function loadConfig(envFile = ".env"): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
