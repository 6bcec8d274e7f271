/**
 * Demo data for the work plan's measures, so the sandbox shows them at once: two learning
 * organisations with people who trained, the last settled month's reports (one submitted on
 * time, one late) and a certificate whose code can be verified with /start v_LLDEMO2026.
 */
import type { Db } from "../db/connection.ts";
import { fromRoot } from "../paths.ts";
import { cycleDates, previousMonth } from "../report-cycle/cycle.ts";
import { loadWorkdays } from "../report-cycle/workdays.ts";
import { localDate } from "../time.ts";
import { DEMO_FINISHED } from "./activity.ts";
import { DEMO_RESIDENT_FIRST_ID } from "./people.ts";
import { demoRows } from "./fixture.ts";

/** The demo certificate's verification code. */
export const DEMO_CERTIFICATE = "LLDEMO2026";

const ORGS = [
  {
    site: "jingtai",
    kind: "enterprise",
    name: "金桥科技有限公司",
    key: "金桥科技有限公司",
    contact: "周经理",
    employees: 12,
    members: [0, 1, 2, 3, 4, 5],
  },
  {
    site: "park",
    kind: "school",
    name: "公园路小学教工",
    key: "公园路小学教工",
    contact: "郑老师",
    employees: 8,
    members: [6, 7, 8],
  },
] as const;

/** Writes the demo rows; rows already there (by natural key) are left alone. */
export function writePlanDemo(db: Db, now: Date, timezone: string): void {
  const at = now.toISOString();
  const siteId = (code: string) =>
    db.prepare("SELECT id FROM sites WHERE code = ?").pluck().get(code) as number | undefined;
  for (const o of ORGS) {
    const site = siteId(o.site);
    if (site === undefined) continue;
    demoRows(db).organisation.run(site, o.kind, o.name, o.key, o.contact, o.employees, at, at);
    const orgId = db
      .prepare("SELECT id FROM organisations WHERE site_id = ? AND name_key = ?")
      .pluck()
      .get(site, o.key);
    for (const i of o.members) {
      const person = db
        .prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1")
        .pluck()
        .get(DEMO_RESIDENT_FIRST_ID + i) as number | undefined;
      if (person === undefined) continue;
      demoRows(db).organisationMember.run(orgId, person, at);
    }
  }

  // The month before last is settled: one school on time, one late.
  try {
    const cal = loadWorkdays(fromRoot("data", "workdays.yaml"));
    const month = previousMonth(previousMonth(localDate(now, timezone).slice(0, 7)));
    const d = cycleDates(cal, month, timezone);
    const report = demoRows(db).monthlyReport;
    const hour = 3_600_000;
    const jingtai = siteId("jingtai");
    const park = siteId("park");
    if (jingtai !== undefined)
      report.run(
        jingtai,
        month,
        "老年智能手机课结业，32 人参加；重阳节书法展。",
        "周二下午活动室与合唱队冲突。",
        "开设第二期手机课；办亲子阅读周末活动。",
        d.opensAt.toISOString(),
        d.dueAt.toISOString(),
        new Date(d.opensAt.getTime() + 30 * hour).toISOString(),
      );
    if (park !== undefined)
      report.run(
        park,
        month,
        "太极拳班坚持每周两次。",
        "志愿者人手不足。",
        "招募 3 名退休教师做志愿者。",
        d.opensAt.toISOString(),
        d.dueAt.toISOString(),
        new Date(d.dueAt.getTime() + 26 * hour).toISOString(),
      );
  } catch {
    // Without a working-day calendar the sandbox simply shows no past reports.
  }

  const course = db
    .prepare("SELECT id, site_id, title_zh, title_en FROM courses WHERE code = ?")
    .get(DEMO_FINISHED) as { id: number; site_id: number; title_zh: string; title_en: string } | undefined;
  const wang = db.prepare("SELECT id, name FROM people WHERE account_id = 100001 AND is_self = 1").get() as
    | { id: number; name: string }
    | undefined;
  if (course && wang) {
    const school = db.prepare("SELECT name_zh, name_en FROM sites WHERE id = ?").get(course.site_id) as {
      name_zh: string;
      name_en: string;
    };
    demoRows(db).certificate.run(
      DEMO_CERTIFICATE,
      wang.id,
      course.id,
      wang.name,
      course.title_zh,
      course.title_en,
      school.name_zh,
      school.name_en,
      at,
    );
  }
}
