/** Learning teams through the real bot: a resident forms one and shares it, others join; staff form one from the roster. */
import { describe, expect, it } from "vitest";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { addCourse, DAY_MS, NOW, seedPlaces } from "../enrollment/fixture.ts";
import type { ApiCall } from "../helpers/bot-harness.ts";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";

const wang = { id: 6001, first_name: "王秀兰", language_code: "zh" };
const li = { id: 6002, first_name: "李强", language_code: "zh" };
const emma = { id: 6003, first_name: "Emma", language_code: "en" };
const staff = { id: 6100, first_name: "Staff", language_code: "zh" };

const lastMarkup = (calls: ApiCall[]) =>
  [...calls].reverse().find((c) => c.payload.reply_markup !== undefined);
const datas = (calls: ApiCall[]) => buttons(lastMarkup(calls)).map((b) => b.data);
const all = (calls: ApiCall[]) => texts(calls).join("\n");
const alert = (calls: ApiCall[]) =>
  calls.find((c) => c.method === "answerCallbackQuery" && c.payload.show_alert === true)?.payload.text;

async function setup() {
  const h = await createHarness({ now: NOW.toISOString() });
  seedPlaces(h.db);
  const courseId = addCourse(h.db, { firstAt: new Date(NOW.getTime() - 7 * DAY_MS), sessions: 4 });
  await h.send(staff, "/help");
  h.db
    .prepare("INSERT INTO roles (user_id, role, site_id, granted_at) VALUES (?, 'staff', 1, ?)")
    .run(staff.id, NOW.toISOString());
  const enrolmentOf = (userId: number) =>
    h.db.prepare("SELECT id FROM enrolments WHERE account_id = ?").pluck().get(userId) as number;
  return { h, courseId, enrolmentOf };
}

describe("a resident's learning team", () => {
  it("forms a team from My enrolments, shares its link; another joins with one tap", async () => {
    const { h, courseId, enrolmentOf } = await setup();
    await h.press(wang, `enr:ok:${courseId}:s:-`);
    await h.press(li, `enr:ok:${courseId}:s:-`);
    const eid = enrolmentOf(wang.id);
    expect(datas(await h.press(wang, `my:e:${eid}`))).toContain(`tm:e:${eid}`);
    const none = await h.press(wang, `tm:e:${eid}`);
    expect(all(none)).toContain("还没有参加学习型团队");
    expect(datas(none)).toEqual([`tm:f:${eid}`, `my:e:${eid}`]);

    expect(all(await h.press(wang, `tm:f:${eid}`))).toContain("给团队起个名字");
    // A double tap on Form while the name is asked: answered, not a second form.
    expect(alert(await h.press(wang, `tm:f:${eid}`))).toBeTruthy();
    expect(all(await h.send(wang, "读".repeat(31)))).toContain("不超过30个字");
    // /help leaves the form and helps as always.
    const help = await h.send(wang, "/help");
    expect(help.length).toBeGreaterThan(1);
    expect(all(await h.send(wang, "晨读"))).not.toContain("建好了");

    await h.press(wang, `tm:e:${eid}`);
    await h.press(wang, `tm:f:${eid}`);
    const formed = await h.send(wang, "  晨读<小组>  ");
    expect(all(formed)).toContain("“<b>晨读&lt;小组&gt;</b>”团队建好了");
    const code = h.db.prepare("SELECT invite_code FROM learning_teams").pluck().get() as string;
    expect(all(formed)).toContain(`https://t.me/lifelong_test_bot?start=t_${code}`);
    const share = buttons(lastMarkup(formed)).find((b) => b.data === undefined);
    expect(share?.text).toContain("发给同学");
    expect(datas(formed)).toContain(`tm:lv:${eid}`);

    const invite = await h.send(li, `/start t_${code}`);
    expect(all(invite)).toContain("晨读&lt;小组&gt;");
    expect(all(invite)).toContain("成员：1人");
    const liPerson = h.db.prepare("SELECT id FROM people WHERE account_id = ?").pluck().get(li.id) as number;
    expect(datas(invite)).toEqual([`tm:j:${code}:${liPerson}`]);
    const joined = await h.press(li, `tm:j:${code}:${liPerson}`);
    expect(all(joined)).toContain("现在团队有2人");
    // Not a dead end: the way on is where the team lives from now on.
    expect(datas(joined)).toEqual(["my:l"]);
    expect(all(await h.press(li, `tm:j:${code}:${liPerson}`))).toContain(
      "李强已经在“<b>晨读&lt;小组&gt;</b>”团队里了",
    );
    expect(all(await h.press(wang, `tm:e:${eid}`))).toContain("成员：2人");

    // Someone else's person on a forged button: refused, nothing changes.
    const wangPerson = h.db
      .prepare("SELECT id FROM people WHERE account_id = ?")
      .pluck()
      .get(wang.id) as number;
    expect(alert(await h.press(li, `tm:j:${code}:${wangPerson}`))).toBeTruthy();
    expect(h.db.prepare("SELECT count(*) FROM learning_team_members").pluck().get()).toBe(2);
  });

  it("tells someone not enrolled, and offers the course; an unknown code is said plainly", async () => {
    const { h, courseId, enrolmentOf } = await setup();
    await h.press(wang, `enr:ok:${courseId}:s:-`);
    await h.press(wang, `tm:f:${enrolmentOf(wang.id)}`);
    await h.send(wang, "晨读");
    const code = h.db.prepare("SELECT invite_code FROM learning_teams").pluck().get() as string;
    const invite = await h.send(emma, `/start t_${code}`);
    expect(all(invite)).toContain("Only people enrolled in");
    expect(datas(invite)).toEqual([`tm:cc:${courseId}`]);
    const card = await h.press(emma, `tm:cc:${courseId}`);
    expect(datas(card)).toContain(`enr:${courseId}`);
    expect(all(await h.send(emma, "/start t_NOPE2345"))).toContain("This team link does not work");
    // An old button of a form that ended.
    expect(alert(await h.press(emma, "tm:st:1"))).toContain("out of date");
  });

  it("asks which family member joins when several take the course; /mydata lists the team", async () => {
    const { h, courseId, enrolmentOf } = await setup();
    await h.press(wang, `enr:ok:${courseId}:s:-`);
    await h.press(wang, `tm:f:${enrolmentOf(wang.id)}`);
    await h.send(wang, "晨读");
    const code = h.db.prepare("SELECT invite_code FROM learning_teams").pluck().get() as string;
    await h.send(li, "/help");
    const child = addFamilyMember(
      h.db,
      li.id,
      { name: "李小雨", relation: "child", birthYear: 1990 },
      NOW,
    ).id;
    await h.press(li, `enr:ok:${courseId}:s:-`);
    await h.press(li, `enr:ok:${courseId}:${child}:-`);
    const self = h.db
      .prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1")
      .pluck()
      .get(li.id);
    const invite = await h.send(li, `/start t_${code}`);
    expect(all(invite)).toContain("谁加入");
    expect(datas(invite)).toEqual([`tm:j:${code}:${self}`, `tm:j:${code}:${child}`]);
    expect(buttons(lastMarkup(invite)).map((b) => b.text)).toEqual(["✅ 李强加入", "✅ 李小雨加入"]);
    await h.press(li, `tm:j:${code}:${child}`);
    const again = await h.send(li, `/start t_${code}`);
    expect(all(again)).toContain("李小雨已经在这个团队里了");
    expect(datas(again)).toEqual([`tm:j:${code}:${self}`]);
    const data = await h.send(li, "/mydata");
    const caption = data.find((c) => c.method === "sendDocument")?.payload.caption as string;
    expect(caption).toContain("学习型团队</b>（1个）：晨读 · 李小雨");
    // Everyone who takes the course is in the team: the link leads on to My enrolments, not nowhere.
    await h.press(li, `tm:j:${code}:${self}`);
    const full = await h.send(li, `/start t_${code}`);
    expect(all(full)).toContain("李强、李小雨已经在这个团队里了");
    expect(datas(full)).toEqual(["my:l"]);
  });

  it("leaves with a confirmation; the last one out closes the team", async () => {
    const { h, courseId, enrolmentOf } = await setup();
    await h.press(wang, `enr:ok:${courseId}:s:-`);
    const eid = enrolmentOf(wang.id);
    await h.press(wang, `tm:f:${eid}`);
    await h.send(wang, "晨读");
    const ask = await h.press(wang, `tm:lv:${eid}`);
    expect(all(ask)).toContain("王秀兰要退出");
    const yes = datas(ask)[0] as string;
    expect(all(await h.press(wang, yes))).toContain("这个团队已经解散");
    expect(alert(await h.press(wang, yes))).toContain("已经不在");
    expect(h.db.prepare("SELECT count(*) FROM learning_teams").pluck().get()).toBe(0);
  });
});

describe("staff forming a team from the roster", () => {
  it("toggles participants, refuses too few, names the team and lists it", async () => {
    const { h, courseId } = await setup();
    for (const u of [wang, li, emma]) await h.press(u, `enr:ok:${courseId}:s:-`);
    expect(datas(await h.press(staff, `rst:c:${courseId}`))).toContain(`tm:s:${courseId}`);
    const list = await h.press(staff, `tm:s:${courseId}`);
    expect(all(list)).toContain("这门课还没有团队");
    expect(datas(list)).toEqual([`tm:sf:${courseId}`, `rst:c:${courseId}`]);
    // A resident forging the staff buttons: refused.
    expect(alert(await h.press(wang, `tm:s:${courseId}`))).toContain("工作人员");
    expect(alert(await h.press(wang, `tm:sf:${courseId}`))).toContain("工作人员");

    // Wang forms a team of their own first: its name is taken on the course.
    const eid = h.db.prepare("SELECT id FROM enrolments WHERE account_id = ?").pluck().get(wang.id) as number;
    await h.press(wang, `tm:f:${eid}`);
    await h.send(wang, "书友会");

    const pick = await h.press(staff, `tm:sf:${courseId}`);
    const people = datas(pick).filter((d) => d?.startsWith("tm:st:")) as string[];
    expect(people).toHaveLength(2);
    expect(all(await h.press(staff, people[0]!))).toContain("已选1人：Emma");
    expect(alert(await h.press(staff, "tm:sd"))).toContain("请至少选2人");
    const two = await h.press(staff, people[1]!);
    expect(all(two)).toContain("已选2人：Emma、李强");
    const named = all(await h.press(staff, "tm:sd"));
    expect(named).toContain("新团队的成员（2人）：Emma、李强");
    expect(named).toContain("给团队起个名字");
    expect(all(await h.send(staff, "书友 会"))).toContain("已经有一个叫“<b>书友会</b>”的团队");
    const done = await h.send(staff, "夜读");
    expect(all(done)).toContain("团队建好了，共2人");
    expect(all(done)).toContain("2. <b>夜读</b>（2人）：李强、Emma");
    expect(datas(done)).toEqual([`rst:c:${courseId}`]);
    expect(h.db.prepare("SELECT action FROM audit_log WHERE action = 'team.form'").pluck().all()).toEqual([
      "team.form",
    ]);
    // A button of the finished form.
    expect(alert(await h.press(staff, "tm:sd"))).toContain("过期");
  });

  it("cancelling the picker leads back to the course's teams", async () => {
    const { h, courseId } = await setup();
    for (const u of [wang, li]) await h.press(u, `enr:ok:${courseId}:s:-`);
    expect(all(await h.press(staff, `tm:sf:${courseId}`))).toContain("已选0人：（还没选）");
    const cancelled = await h.press(staff, "tm:sx");
    expect(all(cancelled)).toContain("没有建团队");
    expect(datas(cancelled)).toEqual([`tm:s:${courseId}`]);
    expect(all(await h.press(staff, `tm:s:${courseId}`))).toContain("还没进团队的学员：2人");
  });
});
