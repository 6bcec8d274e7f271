/** Learning organisations through the real bot: staff register, the contact's link, people, enrolment. */
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openCoursesOfSite } from "../../src/organisations/members.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const staffNorth = { id: USERS.staff1, first_name: "North", language_code: "zh" };
const staffSouth = { id: USERS.staff2, first_name: "South", language_code: "zh" };
const contact = { id: 7001, first_name: "王经理", language_code: "zh" };
const stranger = { id: 7002, first_name: "路人", language_code: "zh" };

async function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  return createHarness({ db, now: NOW.toISOString() });
}

type Harness = Awaited<ReturnType<typeof setup>>;

async function registerThrough(h: Harness, name: string, employees: string[]): Promise<string[]> {
  await h.press(staffNorth, "org:new");
  await h.press(staffNorth, "org:f:enterprise");
  await h.send(staffNorth, name);
  await h.send(staffNorth, "王经理");
  const out: string[] = [];
  for (const e of employees) out.push(...texts(await h.send(staffNorth, e)));
  return out;
}

const orgId = (h: Harness, name: string) =>
  h.db.prepare("SELECT id FROM organisations WHERE name = ?").pluck().get(name) as number;

describe("learning organisations in the chat", () => {
  it("registers one, refusing 0 employees with the reason, a duplicate, and asking 'did you mean'", async () => {
    const h = await setup();
    expect(texts(await h.send(staffNorth, "/orgs")).join("\n")).toContain("还没有登记的单位");
    const first = await registerThrough(h, "东湖科技有限公司", ["0", "四", "4"]);
    expect(first[0]).toContain("不能是 0");
    expect(first[1]).toContain("只输入数字");
    expect(first[2]).toContain("已登记：<b>东湖科技有限公司</b>（4 人）");

    const dup = await registerThrough(h, "东湖 科技有限公司", ["9"]);
    expect(dup.join("\n")).toContain("已经有同名单位");

    const similar = await registerThrough(h, "东湖科技公司", ["9"]);
    expect(similar.join("\n")).toContain("是不是这个单位？");
    const done = texts(await h.press(staffNorth, "org:f:new")).join("\n");
    expect(done).toContain("已登记：<b>东湖科技公司</b>");
    expect(h.db.prepare("SELECT COUNT(*) FROM organisations").pluck().get()).toBe(2);
  });

  it("invites the contact once, who adds people and enrols one with consent; staff see the rate", async () => {
    const h = await setup();
    await registerThrough(h, "东湖科技有限公司", ["2"]);
    const id = orgId(h, "东湖科技有限公司");

    // Staff of another school cannot manage it.
    const denied = await h.press(staffSouth, `org:inv:${id}`);
    expect(denied.find((c) => c.method === "answerCallbackQuery")?.payload.text).toContain("只有这个学校");

    const invite = texts(await h.press(staffNorth, `org:inv:${id}`)).join("\n");
    const token = /start=o_([A-Z0-9]+)/.exec(invite)?.[1];
    expect(token).toBeDefined();
    expect(texts(await h.send(contact, `/start o_${token}`)).join("\n")).toContain(
      "您现在是 <b>东湖科技有限公司</b> 的联系人",
    );
    expect(texts(await h.send(stranger, `/start o_${token}`)).join("\n")).toContain("已经被别人用过了");
    expect(texts(await h.send(stranger, "/start o_NOSUCHTOKEN")).join("\n")).toContain("邀请链接不存在");
    expect(texts(await h.send(stranger, "/myorg")).join("\n")).toContain("还不是任何单位的联系人");

    await h.press(contact, `mo:add:${id}`);
    expect(texts(await h.send(contact, "张三")).join("\n")).toContain("已添加：张三");
    await h.press(contact, `mo:add:${id}`);
    await h.send(contact, "李四");
    await h.press(contact, `mo:add:${id}`);
    expect(texts(await h.send(contact, "王五")).join("\n")).toContain("已达到职工人数 2");

    // Staff cannot lower the count below the two people registered.
    await h.press(staffNorth, `org:emp:${id}`);
    expect(texts(await h.send(staffNorth, "1")).join("\n")).toContain("不能少于已登记的 2 人");
    expect(texts(await h.send(staffNorth, "3")).join("\n")).toContain("职工人数：3");

    const member = h.db
      .prepare(
        "SELECT m.id FROM organisation_members m JOIN people p ON p.id = m.person_id WHERE p.name = '张三'",
      )
      .pluck()
      .get() as number;
    const course = openCoursesOfSite(h.db, 1, NOW).find((c) => c.category === "arts");
    expect(course).toBeDefined();
    const list = (await h.press(contact, `mo:c:${member}`)).find((c) => c.method === "editMessageText");
    expect(buttons(list).map((b) => b.data)).toContain(`mo:e:${member}:${course!.id}`);
    const confirm = texts(await h.press(contact, `mo:e:${member}:${course!.id}`)).join("\n");
    expect(confirm).toContain("本人已经同意报名");
    // Someone else's forged press does nothing.
    await h.press(stranger, `mo:ok:${member}:${course!.id}`);
    expect(h.db.prepare("SELECT COUNT(*) FROM organisation_enrolments").pluck().get()).toBe(0);
    expect(texts(await h.press(contact, `mo:ok:${member}:${course!.id}`)).join("\n")).toContain(
      "已帮 张三 报名",
    );
    expect(h.db.prepare("SELECT consent_by FROM organisation_enrolments").pluck().get()).toBe(contact.id);

    // The course's sessions have begun this year, so 张三 counts as trained: 1 of 3.
    const orgs = texts(await h.send(staffNorth, "/orgs")).join("\n");
    expect(orgs).toContain("东湖科技有限公司（north）：1/3 人，33%");
    expect(orgs).toContain("全区职工培训率：<b>33%</b>（目标 50%");
    const mine = texts(await h.send(contact, "/myorg")).join("\n");
    expect(mine).toContain("✅ 张三");
    expect(mine).toContain("▫️ 李四");
  });
});

describe("a resident names their workplace", () => {
  it("is offered only after enrolling in an employment course, and can change or clear it", async () => {
    const h = await setup();
    await registerThrough(h, "东湖科技有限公司", ["20"]);
    const id = orgId(h, "东湖科技有限公司");
    const course = openCoursesOfSite(h.db, 1, NOW).find((c) => c.category === "arts")!;
    const resident = { id: 7100, first_name: "小李", language_code: "zh" };
    await h.send(resident, "/start");

    // Not an employment course: no question.
    let result = (await h.press(resident, `enr:ok:${course.id}:s:-`)).find(
      (c) => c.method === "editMessageText",
    );
    expect(buttons(result).some((b) => b.data?.startsWith("wk:"))).toBe(false);

    h.db.prepare("UPDATE courses SET category = 'employment' WHERE id = ?").run(course.id);
    h.db
      .prepare(
        "DELETE FROM enrolments WHERE course_id = ? AND person_id IN (SELECT id FROM people WHERE account_id = ?)",
      )
      .run(course.id, resident.id);
    result = (await h.press(resident, `enr:ok:${course.id}:s:-`)).find((c) => c.method === "editMessageText");
    expect(buttons(result).map((b) => b.data)).toContain(`wk:q:${course.id}`);
    const pick = (await h.press(resident, `wk:q:${course.id}`)).find((c) => c.method === "editMessageText");
    expect(buttons(pick).map((b) => b.data)).toEqual([`wk:s:${id}`, "wk:s:0"]);
    expect(texts(await h.press(resident, `wk:s:${id}`)).join("\n")).toContain(
      "您在 <b>东湖科技有限公司</b> 工作",
    );
    const again = (await h.press(resident, `wk:q:${course.id}`)).find((c) => c.method === "editMessageText");
    expect(buttons(again)[0]?.text).toBe("✅ 东湖科技有限公司");
    expect(texts(await h.press(resident, "wk:s:0")).join("\n")).toContain("没有记录您的单位");
    expect(h.db.prepare("SELECT COUNT(*) FROM organisation_members").pluck().get()).toBe(0);
  });
});
