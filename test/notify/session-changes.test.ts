import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { immediate } from "../../src/db/connection.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { queueDueReminders } from "../../src/jobs/reminders.ts";
import { renderRow } from "../../src/notify/render.ts";
import { notifySessionChanged } from "../../src/notify/session-changes.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import {
  addCourse,
  addFamilyMember,
  addResident,
  addSession,
  enrol,
  freshDb,
  outboxRows,
} from "./fixtures.ts";

const now = new Date("2026-03-01T00:00:00.000Z");

async function setup() {
  const db = freshDb();
  const config = parseConfig({});
  const i18n = await createI18n("zh");
  const course = addCourse(db);
  const session = addSession(db, course, "2026-03-01T20:00:00.000Z");
  const wang = addResident(db, { id: 5001, first_name: "王" });
  const child = addFamilyMember(db, 5001, "小明");
  const emma = addResident(db, { id: 5002, first_name: "Emma", locale: "en" });
  const gone = addResident(db, { id: 5003, first_name: "走了" });
  enrol(db, course, wang, 5001);
  enrol(db, course, child, 5001);
  enrol(db, course, emma, 5002);
  enrol(db, course, gone, 5003, "cancelled");
  const render = (i: number) => {
    const row = outboxRows(db)[i];
    if (!row) throw new Error(`no row ${i}`);
    return renderRow({ db, config, i18n, templates: TEMPLATES }, row, now);
  };
  return { db, config, session, render };
}

describe("notifySessionChanged", () => {
  it("tells every account with someone enrolled, once each, naming family members", async () => {
    const s = await setup();
    s.db
      .prepare(
        "UPDATE sessions SET starts_at = '2026-03-02T20:00:00.000Z', ends_at = '2026-03-02T21:30:00.000Z' WHERE id = ?",
      )
      .run(s.session);
    const n = immediate(s.db, () =>
      notifySessionChanged(s.db, s.session, "moved", now, "2026-03-01T20:00:00.000Z"),
    );
    expect(n).toBe(2);
    expect(outboxRows(s.db).map((r) => [r.chat_id, r.template])).toEqual([
      [5001, "notify.sessionMoved"],
      [5002, "notify.sessionMoved"],
    ]);
    // Twice is a no-op.
    expect(notifySessionChanged(s.db, s.session, "moved", now, "2026-03-01T20:00:00.000Z")).toBe(0);
    const zh = (await s.render(0))?.[0]?.text ?? "";
    expect(zh).toContain("上课时间改了");
    expect(zh).toContain("3月2日周一 04:00"); // old time, Shanghai
    expect(zh).toContain("3月3日周二 04:00");
    expect(zh).toContain("小明");
    const en = (await s.render(1))?.[0]?.text ?? "";
    expect(en).toContain("Class time changed");
    expect(en).not.toContain("Attending");
  });

  it("cancels reminders not yet sent; a notice for a session moved again is dropped", async () => {
    const s = await setup();
    queueDueReminders(s.db, [24], null, now);
    expect(outboxRows(s.db).filter((r) => r.template === "notify.reminder")).toHaveLength(3);
    s.db.prepare("UPDATE sessions SET status = 'cancelled' WHERE id = ?").run(s.session);
    notifySessionChanged(s.db, s.session, "cancelled", now);
    const rows = outboxRows(s.db);
    expect(rows.filter((r) => r.template === "notify.reminder").every((r) => r.state === "cancelled")).toBe(
      true,
    );
    const notice = rows.findIndex((r) => r.template === "notify.sessionCancelled");
    expect((await s.render(notice))?.[0]?.text).toContain("这次课取消了");
    // Reinstated before the notice went out: it no longer makes sense.
    s.db.prepare("UPDATE sessions SET status = 'scheduled' WHERE id = ?").run(s.session);
    expect(await s.render(notice)).toBeNull();
  });
});
