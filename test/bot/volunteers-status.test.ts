import { describe, expect, it } from "vitest";
import { ensureAdmins } from "../../src/people/roles.ts";
import { enqueueShiftReminders } from "../../src/jobs/shifts.ts";
import { cancelShift, createShift } from "../../src/volunteers/shifts.ts";
import { getVolunteer } from "../../src/volunteers/volunteers.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const a = { id: 6301, first_name: "A", language_code: "zh-hans" };
const b = { id: 6302, first_name: "B", language_code: "en" };
const admin = { id: 6399, first_name: "Admin" };
const alertOf = (calls: ApiCall[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text as string | undefined;

async function setup() {
  const h = await createHarness();
  const at = h.clock.now().toISOString();
  for (const u of [a, b]) await h.send(u, "/start");
  ensureAdmins(h.db, [admin.id], h.clock.now());
  h.db
    .prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'c', 'centre', '中心', 'Centre')",
    )
    .run();
  for (const u of [a, b]) {
    h.db
      .prepare(
        "INSERT INTO volunteers (user_id, name, status, availability, consent_at, created_at) VALUES (?, ?, 'approved', 2097151, ?, ?)",
      )
      .run(u.id, u.first_name, at, at);
  }
  const startsAt = new Date(h.clock.now().getTime() + 3 * 86400_000);
  const shift = (needed = 1, offsetDays = 0) => {
    const s = new Date(startsAt.getTime() + offsetDays * 86400_000);
    const r = createShift(
      h.db,
      null,
      {
        titleZh: "布展",
        titleEn: "Set-up",
        siteId: 1,
        startsAt: s,
        endsAt: new Date(s.getTime() + 3600_000),
        needed,
      },
      "Asia/Shanghai",
      h.clock.now(),
    );
    if (!r.ok) throw new Error(r.reason);
    return r.shiftId;
  };
  return { h, startsAt, shift };
}

describe("volunteer status and shift answers in chat", () => {
  it("edits the other pings to 'filled' in their own language once a shift is full", async () => {
    const { h, shift } = await setup();
    const id = shift(1);
    // b's ping as it stands in b's chat (the sender delivered it).
    h.meet(b);
    const ping = h.state.addMessage(h.state.getChat(b.id)!, "bot", { text: "Can you help?" }).message_id;
    h.db
      .prepare("UPDATE outbox SET state = 'sent', message_id = ? WHERE key LIKE ? AND chat_id = ?")
      .run(ping, `shift-ping:${id}:%`, b.id);
    const calls = await h.press(a, `shf:a:${id}`);
    const edit = calls.find((c) => c.method === "editMessageText" && c.payload.chat_id === b.id);
    expect(edit?.payload.message_id).toBe(ping);
    expect(h.state.message(b.id, ping)?.text).toContain("full");
    expect(edit?.payload.text).toContain("full");
  });

  it("'I can't make it' on a reminder withdraws, staff are told and the shift is offered again", async () => {
    const { h, shift, startsAt } = await setup();
    const id = shift(1);
    await h.press(a, `shf:a:${id}`);
    enqueueShiftReminders(h.db, new Date(startsAt.getTime() - 20 * 3600_000));
    const assignment = h.db
      .prepare("SELECT id FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?")
      .pluck()
      .get(id, a.id) as number;
    expect(alertOf(await h.press(b, `shf:n:${assignment}`))).toContain("out of date"); // not b's assignment
    expect(texts(await h.press(a, `shf:y:${assignment}`)).join()).toContain("到时见");
    expect(texts(await h.press(a, `shf:n:${assignment}`)).join()).toContain("已经帮您取消");
    expect(h.db.prepare("SELECT status FROM shifts WHERE id = ?").pluck().get(id)).toBe("open");
    expect(
      h.db.prepare("SELECT chat_id FROM outbox WHERE key LIKE 'shift-withdrawn:%'").pluck().all(),
    ).toEqual([admin.id]);
    expect(
      h.db
        .prepare("SELECT status FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?")
        .pluck()
        .get(id, b.id),
    ).toBe("pinged");
  });

  it("answers Accept on a cancelled shift, and pauses, resumes and leaves", async () => {
    const { h, shift } = await setup();
    const id = shift(1);
    cancelShift(h.db, admin.id, id, h.clock.now());
    expect(alertOf(await h.press(a, `shf:a:${id}`))).toContain("取消");
    const home = await h.send(a, "/volunteer");
    expect(buttons(home[0]).map((x) => x.data)).toEqual(["vol:my", "vol:pause", "vol:leave"]);
    await h.press(a, "vol:pause");
    expect(getVolunteer(h.db, a.id)?.status).toBe("paused");
    expect(alertOf(await h.press(a, "vol:pause"))).toBeDefined();
    expect(getVolunteer(h.db, a.id)?.status).toBe("paused");
    await h.press(a, "vol:resume");
    expect(getVolunteer(h.db, a.id)?.status).toBe("approved");
    const accepted = shift(1, 1);
    await h.press(a, `shf:a:${accepted}`);
    await h.press(a, "vol:leave");
    expect(texts(await h.press(a, "vol:leave:y")).join()).toContain("退出");
    expect(getVolunteer(h.db, a.id)?.status).toBe("left");
    expect(h.db.prepare("SELECT status FROM shifts WHERE id = ?").pluck().get(accepted)).toBe("open");
    expect(buttons((await h.send(a, "/volunteer"))[0]).map((x) => x.data)).toEqual(["vol:join"]);
  });
});
