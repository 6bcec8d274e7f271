import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DAY, HOUR, ManualClock, MINUTE } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { backupDatabase, backupFileName, backupJob } from "../../src/jobs/backup.ts";
import { housekeepingJob } from "../../src/jobs/housekeeping.ts";
import { JOBS } from "../../src/jobs/index.ts";
import { offerExpiryJob } from "../../src/jobs/offer-expiry.ts";
import { lastRunAt, runJob, runJobOnce } from "../../src/jobs/runner.ts";
import type { JobDeps, JobSpec } from "../../src/jobs/types.ts";
import { silentLogger } from "../../src/logger.ts";
import { addCourse, addResident, addSession, enrol, freshDb } from "../notify/fixtures.ts";

function deps(env: Record<string, string> = {}, db = freshDb()): JobDeps {
  return {
    db,
    config: parseConfig(env),
    logger: silentLogger,
    clock: new ManualClock("2026-03-01T00:00:00.000Z"),
  };
}

describe("runJob", () => {
  it("hands the job the window since its last recorded run, and records the run", async () => {
    const d = deps();
    const seen: (string | null)[] = [];
    const spec: JobSpec = {
      name: "probe",
      schedule: "* * * * *",
      run: (_d, _now, since) => {
        seen.push(since?.toISOString() ?? null);
        return { ok: 1 };
      },
    };
    await runJob(d, spec, new Date("2026-03-01T00:00:00.000Z"));
    await runJob(d, spec, new Date("2026-03-01T00:05:00.000Z"));
    // An older tick finishing late does not move the window back.
    await runJob(d, spec, new Date("2026-03-01T00:03:00.000Z"));
    await runJob(d, spec, new Date("2026-03-01T00:06:00.000Z"));
    expect(seen).toEqual([
      null,
      "2026-03-01T00:00:00.000Z",
      "2026-03-01T00:05:00.000Z",
      "2026-03-01T00:05:00.000Z",
    ]);
    expect(d.db.prepare("SELECT last_result FROM job_runs WHERE name = 'probe'").pluck().get()).toBe(
      '{"ok":1}',
    );
  });

  it("a job that throws is logged, not recorded, so the window is tried again", async () => {
    const d = deps();
    let fail = true;
    const spec: JobSpec = {
      name: "flaky",
      schedule: "* * * * *",
      run: () => {
        if (fail) throw new Error("disk full");
        return {};
      },
    };
    expect(await runJob(d, spec, new Date("2026-03-01T00:01:00.000Z"))).toEqual({ error: "disk full" });
    expect(lastRunAt(d.db, "flaky")).toBeNull();
    fail = false;
    await runJob(d, spec, new Date("2026-03-01T00:02:00.000Z"));
    expect(lastRunAt(d.db, "flaky")?.toISOString()).toBe("2026-03-01T00:02:00.000Z");
  });

  it("runJobOnce runs a registered job by name now, and names the known jobs otherwise", async () => {
    const d = deps();
    expect(JOBS.map((j) => j.name)).toEqual(
      expect.arrayContaining(["reminders", "offer-expiry", "backup", "housekeeping"]),
    );
    expect(await runJobOnce(d, "housekeeping")).toEqual({ prunedUpdates: 0 });
    await expect(runJobOnce(d, "nope")).rejects.toThrow(/known jobs: .*reminders/);
  });
});

describe("housekeeping", () => {
  it("forgets updates handled more than two days ago, never one still to handle", async () => {
    const d = deps();
    const now = d.clock.now();
    const insert = d.db.prepare(
      "INSERT INTO inbox (update_id, payload, received_at, handled_at) VALUES (?, '{}', ?, ?)",
    );
    const old = new Date(now.getTime() - 3 * DAY).toISOString();
    insert.run(1, old, old);
    const recent = new Date(now.getTime() - 2 * DAY + MINUTE).toISOString();
    insert.run(2, recent, recent);
    insert.run(3, now.toISOString(), now.toISOString());
    insert.run(4, old, null);
    expect(await runJob(d, housekeepingJob, now)).toEqual({ prunedUpdates: 1 });
    expect(d.db.prepare("SELECT update_id FROM inbox ORDER BY 1").pluck().all()).toEqual([2, 3, 4]);
  });
});

describe("offer expiry", () => {
  it("passes an expired offer to the next person on the waitlist", async () => {
    const d = deps({ OFFER_HOURS: "24" });
    const course = addCourse(d.db);
    addSession(d.db, course, "2026-03-10T01:00:00.000Z");
    const a = addResident(d.db, { id: 5001, first_name: "A" });
    const b = addResident(d.db, { id: 5002, first_name: "B" });
    const c = addResident(d.db, { id: 5003, first_name: "C" });
    enrol(d.db, course, a, 5001);
    const offered = enrol(d.db, course, b, 5002);
    d.db
      .prepare(
        "UPDATE enrolments SET status = 'offered', offer_expires_at = '2026-03-01T00:30:00.000Z' WHERE id = ?",
      )
      .run(offered);
    enrol(d.db, course, c, 5003, "waitlisted", 1);
    expect(await runJob(d, offerExpiryJob, new Date("2026-03-01T00:29:00.000Z"))).toEqual({ expired: 0 });
    expect(await runJob(d, offerExpiryJob, new Date("2026-03-01T00:31:00.000Z"))).toEqual({ expired: 1 });
    const status = (p: number) =>
      d.db.prepare("SELECT status FROM enrolments WHERE person_id = ?").pluck().get(p);
    expect([status(b), status(c)]).toEqual(["cancelled", "offered"]);
  });
});

describe("backup", () => {
  it("makes a consistent copy and keeps only the newest config.backupKeep", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifelong-backup-"));
    try {
      const db = openDatabase(join(dir, "live.db"));
      migrate(db);
      db.prepare(
        "INSERT INTO sites (code, kind, name_zh, name_en) VALUES ('S', 'school', '学校', 'School')",
      ).run();
      const d = deps({ BACKUP_DIR: join(dir, "backups"), BACKUP_KEEP: "2" }, db);
      for (let h = 0; h < 3; h++)
        await runJob(d, backupJob, new Date(Date.parse("2026-03-01T03:30:00Z") + h * DAY));
      const files = readdirSync(join(dir, "backups")).sort();
      expect(files).toEqual([
        backupFileName(new Date("2026-03-02T03:30:00Z")),
        backupFileName(new Date("2026-03-03T03:30:00Z")),
      ]);
      expect(files[0]).toBe("lifelong-20260302-033000.db");
      const copy = openDatabase(join(dir, "backups", files[1] as string));
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare("SELECT name_en FROM sites").pluck().get()).toBe("School");
      copy.close();
      const { removed } = await backupDatabase(db, join(dir, "backups"), 5, new Date("2026-03-04T03:30:00Z"));
      expect(removed).toEqual([]);
      expect(existsSync(join(dir, "backups", "lifelong-20260304-033000.db"))).toBe(true);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the registered jobs", () => {
  it("each has a name of its own and a valid schedule", async () => {
    const cron = (await import("node-cron")).default;
    expect(new Set(JOBS.map((j) => j.name)).size).toBe(JOBS.length);
    for (const j of JOBS) expect(cron.validate(j.schedule), j.name).toBe(true);
    expect(HOUR).toBe(60 * MINUTE);
  });
});
