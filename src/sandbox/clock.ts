import type { Clock } from "../clock.ts";
import type { Db } from "../db/connection.ts";

/**
 * The sandbox's clock: real time plus an offset that only ever grows. The time panel moves it
 * forward so that reminders, offers and feedback requests fall due without waiting; the app's
 * real rules (lead times, job windows) stay as they are. It never goes back, because every job
 * records the last instant it ran and would otherwise see nothing due until real time caught up.
 */
export class ShiftableClock implements Clock {
  private offset = 0;
  private readonly real: () => number;

  constructor(real: () => number = Date.now) {
    this.real = real;
  }

  now(): Date {
    return new Date(this.real() + this.offset);
  }

  /** How far ahead of real time the sandbox is, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward; a negative or non-finite amount is refused. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the sandbox clock only moves forward");
    this.offset += ms;
  }

  /** Moves the clock forward to `at`; an instant already past leaves it where it is. */
  advanceTo(at: Date): void {
    const ms = at.getTime() - this.now().getTime();
    if (ms > 0) this.offset += ms;
  }

  /** Back to real time (only for a fresh database, whose jobs have never run). */
  reset(): void {
    this.offset = 0;
  }

  /**
   * Picks up where a kept sandbox database left off: no earlier than the latest job run it
   * recorded, so the jobs' windows keep moving forward after a restart.
   */
  resumeFrom(db: Db): void {
    const last = db.prepare("SELECT MAX(last_run_at) FROM job_runs").pluck().get() as string | null;
    if (last) this.advanceTo(new Date(last));
  }
}
