import type { DestinationStream, Logger } from "pino";
import { pino } from "pino";
import { redactSecrets } from "./redact.ts";

export type { Logger };

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  /** Values never to be written (the bot token): removed from every line, whatever field holds them. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go instead of stdout (tests capture them). */
  destination?: DestinationStream;
}

/**
 * JSON logs by default; pretty lines only when asked for (development). Every line passes
 * through redactSecrets just before it is written: an error's message, cause or stack may name
 * a request URL, and the Bot API's URLs name the token.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const base = {
    level: options.level,
    hooks: { streamWrite: (line: string) => redactSecrets(line, secrets) },
  };
  if (options.pretty) {
    return pino({ ...base, transport: { target: "pino-pretty", options: { colorize: true } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: "silent" });
