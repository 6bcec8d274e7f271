import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import type { Db } from "../../src/db/connection.ts";
import type { Locale } from "../../src/i18n/index.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import type { RenderedMessage } from "../../src/notify/template.ts";
import { createShift, respondToShift } from "../../src/volunteers/shifts.ts";
import { signUpVolunteer } from "../../src/volunteers/volunteers.ts";
import { addStaff, addUser, addVolunteer, freshDb, NOW, SAT_MORNING, TZ } from "./fixtures.ts";

const config = parseConfig({});

async function render(
  db: Db,
  template: string,
  params: Record<string, unknown>,
  chatId: number,
  locale: Locale = "zh",
) {
  const i18n = await createI18n("zh");
  const fn = TEMPLATES[template];
  if (!fn) throw new Error(`no template ${template}`);
  return (await fn(
    { db, config, i18n, t: i18n.getFixedT(locale), locale, now: NOW, chatId },
    params,
  )) as RenderedMessage | null;
}

const data = (m: RenderedMessage | null) =>
  (
    (m?.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ??
    []
  )
    .flat()
    .map((b) => b.callback_data);

describe("volunteer templates", () => {
  it("shows staff an application with approve/decline, escaped, until it is decided", async () => {
    const db = freshDb();
    addStaff(db, 90);
    addUser(db, 1);
    signUpVolunteer(
      db,
      {
        userId: 1,
        name: "<i>Li</i>",
        phone: "1",
        skills: ["first_aid"],
        skillsNote: "",
        availability: 1,
        languages: ["english"],
      },
      NOW,
    );
    const m = await render(db, "volunteers.pending", { userId: 1 }, 90, "en");
    expect(m?.text).toContain("&lt;i&gt;Li&lt;/i&gt;");
    expect(m?.text).toContain("First aid");
    expect(m?.text).toContain("Mon");
    expect(data(m)).toEqual(["vol:ok:1", "vol:no:1"]);
    db.prepare("UPDATE volunteers SET status = 'approved'").run();
    expect(await render(db, "volunteers.pending", { userId: 1 }, 90)).toBeNull();
  });

  it("drops a ping once the shift is filled, and shows reminders with their buttons", async () => {
    const db = freshDb();
    addVolunteer(db, 1, { skills: ["first_aid"] });
    addVolunteer(db, 2, { skills: ["first_aid", "photography"] });
    const r = createShift(
      db,
      null,
      {
        titleZh: "布展",
        titleEn: "Set-up",
        siteId: 1,
        venueId: 1,
        ...SAT_MORNING,
        needed: 1,
        skills: ["first_aid"],
      },
      TZ,
      NOW,
    );
    if (!r.ok) throw new Error(r.reason);
    const ping = await render(db, "volunteers.shiftPing", { shiftId: r.shiftId, volunteerId: 2 }, 2);
    expect(ping?.text).toContain("布展");
    expect(ping?.text).toContain("中心 · 大厅");
    expect(ping?.text).toContain("09:00–12:00");
    expect(ping?.text).toContain("急救");
    expect(data(ping)).toEqual([`shf:a:${r.shiftId}`, `shf:d:${r.shiftId}`]);
    respondToShift(db, 1, r.shiftId, true, NOW);
    expect(await render(db, "volunteers.shiftPing", { shiftId: r.shiftId, volunteerId: 2 }, 2)).toBeNull();
    const a = db.prepare("SELECT id FROM shift_assignments WHERE volunteer_id = 1").pluck().get() as number;
    const rem = await render(
      db,
      "volunteers.shiftReminder",
      { assignmentId: a, shiftId: r.shiftId, lead: 2 },
      1,
      "en",
    );
    expect(rem?.text).toContain("2 hours");
    expect(data(rem)).toEqual([`shf:y:${a}`, `shf:n:${a}`]);
    // Not once the volunteer has checked in, nor once the shift has begun.
    const params = { assignmentId: a, shiftId: r.shiftId, lead: 2 };
    db.prepare("UPDATE shift_assignments SET checked_in_at = ? WHERE id = ?").run(NOW.toISOString(), a);
    expect(await render(db, "volunteers.shiftReminder", params, 1, "en")).toBeNull();
    db.prepare("UPDATE shift_assignments SET checked_in_at = NULL WHERE id = ?").run(a);
    expect(await render(db, "volunteers.shiftReminder", params, 1, "en")).not.toBeNull();
    db.prepare("UPDATE shifts SET starts_at = ? WHERE id = ?").run(
      new Date(NOW.getTime() - 60_000).toISOString(),
      r.shiftId,
    );
    expect(await render(db, "volunteers.shiftReminder", params, 1, "en")).toBeNull();
  });
});
