import { HOUR, MINUTE } from "../../clock.ts";
import type { Db } from "../../db/connection.ts";
import { lastRunAt, runJob } from "../../jobs/runner.ts";
import type { JobDeps, JobResult, JobSpec } from "../../jobs/types.ts";
import type { ShiftableClock } from "../clock.ts";
import { WebError } from "./http.ts";

/** Each job's name on the time panel, in both languages. */
export const JOB_LABELS: Record<string, { zh: string; en: string }> = {
  reminders: { zh: "上课提醒", en: "Class reminders" },
  "offer-expiry": { zh: "候补名额过期", en: "Waitlist offers expiring" },
  "feedback-requests": { zh: "课后反馈邀请", en: "Feedback requests" },
  digest: { zh: "每周简报", en: "Weekly digest" },
  backup: { zh: "数据库备份", en: "Backup" },
  housekeeping: { zh: "清理旧数据", en: "Housekeeping" },
  "shift-pings": { zh: "志愿者值班邀请", en: "Shift offers to volunteers" },
  "shift-reminders": { zh: "值班提醒", en: "Shift reminders" },
  "broadcast-report": { zh: "群发完成报告", en: "Broadcast reports" },
  "channel-feed": { zh: "频道动态", en: "Channel feed" },
  "monthly-reports": { zh: "月度工作报告", en: "Monthly reports" },
  "half-year-review": { zh: "半年工作回顾", en: "Half-year review" },
  "certificate-notices": { zh: "结业证书通知", en: "Certificate notices" },
};

/** A job's bilingual label; a job added without one still shows its name in both languages. */
export const jobLabel = (name: string): { zh: string; en: string } =>
  JOB_LABELS[name] ?? { zh: `任务 ${name}`, en: `Job ${name}` };

/** What the time panel shows. */
export function timeState(deps: JobDeps, clock: ShiftableClock, jobs: JobSpec[]) {
  const results = deps.db.prepare("SELECT name, last_result FROM job_runs").all() as Array<{
    name: string;
    last_result: string;
  }>;
  const resultOf = new Map(results.map((r) => [r.name, r.last_result]));
  return {
    now: clock.now().toISOString(),
    offset_ms: clock.offsetMs,
    timezone: deps.config.timezone,
    lead_hours: deps.config.reminderLeadHours,
    jobs: jobs.map((j) => ({
      name: j.name,
      label: jobLabel(j.name),
      schedule: j.schedule,
      last_run_at: lastRunAt(deps.db, j.name)?.toISOString() ?? null,
      last_result: parseResult(resultOf.get(j.name)),
    })),
  };
}

function parseResult(text: string | undefined): JobResult | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as JobResult;
  } catch {
    return null;
  }
}

/** Runs one job now, at the sandbox's time, exactly as its cron tick would. */
export async function runJobNow(deps: JobDeps, jobs: JobSpec[], name: string): Promise<JobResult> {
  const spec = jobs.find((j) => j.name === name);
  if (!spec) throw new WebError(404, `没有这个任务 · No such job: ${name}`);
  return runJob(deps, spec, deps.clock.now());
}

interface NextClass {
  session_id: number;
  starts_at: string;
  title_zh: string;
  title_en: string;
}

/** The next scheduled session of a course someone on this account is enrolled in. */
export function nextClassOf(db: Db, accountId: number, now: Date): NextClass | undefined {
  return db
    .prepare(
      `SELECT s.id AS session_id, s.starts_at, c.title_zh, c.title_en
       FROM enrolments e
       JOIN people p ON p.id = e.person_id AND p.account_id = ?
       JOIN courses c ON c.id = e.course_id AND c.status IN ('open', 'closed')
       JOIN sessions s ON s.course_id = c.id AND s.status = 'scheduled' AND s.starts_at > ?
       WHERE e.status = 'enrolled'
       ORDER BY s.starts_at LIMIT 1`,
    )
    .get(accountId, now.toISOString()) as NextClass | undefined;
}

/**
 * Moves the clock to one minute after the earliest reminder of the persona's next class that
 * is still ahead (its longest lead time first), so the reminders job finds it due at its next
 * run. Nothing moves when every reminder time has passed already.
 */
export function jumpToNextReminder(deps: JobDeps, clock: ShiftableClock, accountId: number) {
  const now = clock.now();
  const next = nextClassOf(deps.db, accountId, now);
  if (!next)
    throw new WebError(
      404,
      "这个身份还没有要上的课，请先报名一门课。· This persona has no class ahead: enrol in a course first.",
    );
  const startsAt = Date.parse(next.starts_at);
  const leads = [...deps.config.reminderLeadHours].sort((a, b) => b - a);
  const lead = leads.find((l) => startsAt - l * HOUR > now.getTime());
  if (lead !== undefined) clock.advanceTo(new Date(startsAt - lead * HOUR + MINUTE));
  return { ...next, lead_hours: lead ?? null, now: clock.now().toISOString() };
}
