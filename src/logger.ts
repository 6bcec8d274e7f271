import { pino } from "pino";
import type { Logger } from "pino";

export type { Logger };

/** JSON logs by default; pretty lines only when asked for (development). */
export function createLogger(options: { level: string; pretty?: boolean }): Logger {
  if (options.pretty) {
    return pino({ level: options.level, transport: { target: "pino-pretty", options: { colorize: true } } });
  }
  return pino({ level: options.level });
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: "silent" });
