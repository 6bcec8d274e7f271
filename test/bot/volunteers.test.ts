import { describe, expect, it } from "vitest";
import { ensureAdmins } from "../../src/people/roles.ts";
import { createShift } from "../../src/volunteers/shifts.ts";
import { getShift } from "../../src/volunteers/shifts-store.ts";
import { getVolunteer } from "../../src/volunteers/volunteers.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const li = { id: 6001, first_name: "李", language_code: "zh-hans" };
const staff = { id: 6100, first_name: "Staff", language_code: "en" };
const resident = { id: 6002, first_name: "Wang", language_code: "zh-hans" };

const alertOf = (calls: ApiCall[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text as string | undefined;
const lastMarkup = (calls: ApiCall[]) =>
  [...calls].reverse().find((c) => c.payload.reply_markup !== undefined);

async function signUp(h: Awaited<ReturnType<typeof createHarness>>, user = li) {
  const home = await h.send(user, "🙋 志愿者");
  expect(buttons(home.find((c) => c.method === "sendMessage")).map((b) => b.data)).toEqual(["vol:join"]);
  expect(texts(await h.press(user, "vol:join"))[0]).toContain("怎么称呼");
  const phoneStep = await h.send(user, "李老师");
  expect(texts(phoneStep)[0]).toContain("手机号");
  const kb = phoneStep[0]?.payload.reply_markup as { keyboard: { request_contact?: boolean }[][] };
  expect(kb.keyboard[0]?.[0]?.request_contact).toBe(true);
  return phoneStep;
}

describe("volunteer sign-up in chat", () => {
  it("walks through name, own phone, skills, availability, languages and consent", async () => {
    const h = await createHarness();
    ensureAdmins(h.db, [staff.id], h.clock.now());
    await signUp(h);
    // Someone else's contact is refused; stray text is answered with a hint.
    expect(texts(await h.contact(li, "+86 138 0000 9999", 12345))[0]).toContain("您自己的手机号");
    expect(texts(await h.send(li, "13800000000"))[0]).toContain("分享我的手机号");
    const skillsStep = await h.contact(li, "+86 138 0000 0001");
    const skillMsg = skillsStep.find((c) => buttons(c).some((b) => b.data === "vol:skd"));
    expect(buttons(skillMsg).map((b) => b.data)).toContain("vol:sk:calligraphy");
    const toggled = await h.press(li, "vol:sk:calligraphy");
    expect(
      buttons(toggled.find((c) => c.method === "editMessageReplyMarkup")).find(
        (b) => b.data === "vol:sk:calligraphy",
      )?.text,
    ).toMatch(/^✅/);
    expect(texts(await h.send(li, "会拉二胡"))[0]).toContain("记下了");
    const grid = await h.press(li, "vol:skd");
    expect(buttons(lastMarkup(grid)).filter((b) => /^vol:av:\d+$/.test(b.data ?? ""))).toHaveLength(21);
    // A button of another screen while in the form: answered, nothing else happens.
    expect(alertOf(await h.press(li, "shf:a:1"))).toContain("/cancel");
    expect(alertOf(await h.press(li, "vol:avok"))).toContain("至少选一个");
    await h.press(li, "vol:av:15");
    await h.press(li, "vol:avd:6"); // all of Sunday
    // Languages ride on the consent screen, the person's own already ticked.
    const consent = await h.press(li, "vol:avok");
    expect(texts(consent)[0]).toContain("同意");
    await h.press(li, "vol:lg:dialect");
    expect(texts(await h.press(li, "vol:cs:y"))[0]).toContain("报名已提交");

    const v = getVolunteer(h.db, li.id);
    expect(v).toMatchObject({
      name: "李老师",
      phone: "+8613800000001",
      skills: ["calligraphy"],
      skillsNote: "会拉二胡",
      languages: ["mandarin", "dialect"],
      status: "pending",
      availability: (1 << 15) | (1 << 18) | (1 << 19) | (1 << 20),
    });
    const rows = h.db.prepare("SELECT chat_id, template FROM outbox WHERE key LIKE 'vol-apply:%'").all();
    expect(rows).toEqual([{ chat_id: staff.id, template: "volunteers.pending" }]);
    // The menu button now shows the status.
    expect(texts(await h.send(li, "/volunteer"))[0]).toContain("正在审核");
  });

  it("lets staff approve by button, and refuses a resident's forged approve", async () => {
    const h = await createHarness();
    ensureAdmins(h.db, [staff.id], h.clock.now());
    await signUp(h);
    await h.contact(li, "+8613800000001");
    await h.press(li, "vol:skd");
    await h.press(li, "vol:av:0");
    await h.press(li, "vol:avok");
    await h.press(li, "vol:cs:y");

    await h.send(resident, "/start");
    const forged = await h.press(resident, `vol:ok:${li.id}`);
    expect(alertOf(forged)).toContain("工作人员");
    expect(getVolunteer(h.db, li.id)?.status).toBe("pending");

    const list = await h.send(staff, "/volunteers");
    const pending = list.find((c) => buttons(c).some((b) => b.data === `vol:ok:${li.id}`));
    expect(pending?.payload.text).toContain("李老师");
    const approved = await h.press(staff, `vol:ok:${li.id}`);
    expect(texts(approved).join()).toContain("Approved");
    expect(getVolunteer(h.db, li.id)?.status).toBe("approved");
    expect(alertOf(await h.press(staff, `vol:no:${li.id}`))).toContain("already handled");
    expect(h.db.prepare("SELECT chat_id FROM outbox WHERE key LIKE 'vol-decided:%'").pluck().all()).toEqual([
      li.id,
    ]);
    expect(texts(await h.send(resident, "/volunteers"))[0]).toContain("工作人员");
  });
});

describe("shifts in chat", () => {
  it("accepts until full, then tells a later accept it is full; refuses the unasked; check-in by link", async () => {
    const h = await createHarness();
    const db = h.db;
    const now = h.clock.now();
    const people = [li, resident, { id: 6003, first_name: "Zhao" }];
    for (const p of people) await h.send(p, "/start");
    db.prepare(
      "INSERT INTO sites (id, code, kind, name_zh, name_en) VALUES (1, 'c', 'centre', '中心', 'Centre')",
    ).run();
    for (const p of people) {
      db.prepare(
        "INSERT INTO volunteers (user_id, name, status, availability, consent_at, created_at) VALUES (?, ?, 'approved', 2097151, ?, ?)",
      ).run(p.id, p.first_name, now.toISOString(), now.toISOString());
    }
    const startsAt = new Date(now.getTime() + 3 * 86400_000);
    const r = createShift(
      db,
      null,
      {
        titleZh: "布展",
        titleEn: "Set-up",
        siteId: 1,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
        needed: 1,
      },
      "Asia/Shanghai",
      now,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.pinged).toEqual([li.id, resident.id]); // needed 1: a batch of two

    const accepted = await h.press(li, `shf:a:${r.shiftId}`);
    expect(texts(accepted).join()).toContain("已经给您排上了");
    expect(alertOf(await h.press(resident, `shf:a:${r.shiftId}`))).toContain("招满");
    expect(alertOf(await h.press(people[2]!, `shf:a:${r.shiftId}`))).toContain("没有邀请您");
    expect(alertOf(await h.press(li, `shf:a:${r.shiftId}`))).toContain("回复过了");
    expect(getShift(db, r.shiftId)?.status).toBe("filled");

    const second = createShift(
      db,
      null,
      {
        titleZh: "讲座引导",
        titleEn: "Ushering",
        siteId: 1,
        startsAt: new Date(startsAt.getTime() + 86400_000),
        endsAt: new Date(startsAt.getTime() + 86400_000 + 3600_000),
        needed: 1,
      },
      "Asia/Shanghai",
      now,
    );
    if (!second.ok) throw new Error(second.reason);
    // Fairness: Zhao, asked least lately, is asked first this time.
    expect(second.pinged[0]).toBe(people[2]!.id);
    expect(texts(await h.press(people[2]!, `shf:d:${second.shiftId}`)).join()).toContain("这次不安排您");
    expect(
      db
        .prepare("SELECT status FROM shift_assignments WHERE shift_id = ? AND volunteer_id = ?")
        .pluck()
        .get(second.shiftId, people[2]!.id),
    ).toBe("declined");

    const my = await h.send(li, "/myshifts");
    expect(texts(my).join()).toContain("布展");
    h.clock.set(new Date(startsAt.getTime() - 30 * 60_000));
    const code = getShift(db, r.shiftId)!.checkinCode;
    expect(texts(await h.send(resident, `/start vs_${code}`))[0]).toContain("没有排您");
    expect(texts(await h.send(li, `/start vs_${code}`))[0]).toContain("签到成功");
    expect(texts(await h.send(li, "/myshifts"))[0]).toContain("2");
  });
});
