import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../src/sandbox/emulator/types.ts";
import { peekAt, startBotProcess, withDemoData } from "../helpers/e2e.ts";
import type { BotProcess } from "../helpers/e2e.ts";

/**
 * A learning team through the real bot process: a resident forms one on a course she takes,
 * a classmate opens its t_ link and joins with one tap, and she sees two members.
 */

const TZ = "Asia/Shanghai";
const WANG = 100001; // 王秀兰, demo persona, enrolled in the meridian exercises
const LI = 100003; // 李建国, put in the same course for this test
const COURSE = "jt-meridian";

const labels = (m: StoredMessage | undefined): string[] =>
  (m?.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup.inline_keyboard : [])
    .flat()
    .map((b) => b.text);

describe("a learning team through the bot process", () => {
  let bot: BotProcess;

  const peek = <T>(sql: string, ...params: unknown[]): T[] => peekAt<T>(bot.databasePath, sql, ...params);

  beforeAll(async () => {
    bot = await startBotProcess({
      rateLimit: false,
      prepare: withDemoData(TZ, (db, now) => {
        const at = now.toISOString();
        db.prepare(
          `INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at)
           SELECT c.id, p.id, p.account_id, 'enrolled', ?, ? FROM courses c, people p
           WHERE c.code = ? AND p.account_id = ? AND p.is_self = 1
           ON CONFLICT (course_id, person_id) DO UPDATE SET status = 'enrolled', waitlist_seq = NULL`,
        ).run(at, at, COURSE, LI);
      }),
    });
  }, 40_000);

  afterAll(async () => {
    await bot?.stop();
  });

  it("王秀兰 forms a team, 李建国 joins by its link, and she sees two members", async () => {
    const wang = bot.driver.user({ id: WANG, first_name: "王秀兰", language_code: "zh-hans" });
    await wang.send("/start");
    await wang.waitFor((m) => m.text.includes("王秀兰"));
    await wang.pressReply("📋 我的报名");
    await wang.waitFor((m) => m.text.includes("我的报名") && m.text.includes("经络养生操"));
    await wang.press(/经络养生操 · 王秀兰/);
    await wang.waitFor((m) => labels(m).includes("👥 学习型团队"));
    await wang.press("👥 学习型团队");
    await wang.waitFor((m) => m.text.includes("还没有参加学习型团队"));
    await wang.press("➕ 建一个团队");
    await wang.waitFor((m) => m.text.includes("给团队起个名字"));
    await wang.send("晨练队");
    await wang.waitFor((m) => m.text.includes("“晨练队”团队建好了"));
    const screen = await wang.waitFor((m) => m.text.includes("start=t_"));
    expect(screen.text).toContain("成员：1人");
    expect(labels(screen)).toContain("📤 发给同学");
    const code = /start=t_([A-Z2-9]+)/.exec(screen.text)?.[1] ?? "";
    expect(code).toHaveLength(8);

    const li = bot.driver.user({ id: LI, first_name: "李建国", language_code: "zh" });
    await li.send(`/start t_${code}`);
    const invite = await li.waitFor((m) => labels(m).includes("✅ 加入团队"));
    expect(invite.text).toContain("晨练队");
    expect(invite.text).toContain("经络养生操");
    await li.press("✅ 加入团队");
    await li.waitFor((m) => m.text.includes("现在团队有2人"));

    await wang.pressReply("📋 我的报名");
    await wang.waitFor((m) => m.text.includes("我的报名") && labels(m).some((l) => l.includes("经络养生操")));
    await wang.press(/经络养生操 · 王秀兰/);
    await wang.waitFor((m) => labels(m).includes("👥 学习型团队"));
    await wang.press("👥 学习型团队");
    const after = await wang.waitFor((m) => m.text.includes("晨练队") && m.text.includes("成员：2人"));
    expect(after.text).toContain("start=t_");
    expect(
      peek<{ n: number }>(
        `SELECT COUNT(*) AS n FROM learning_team_members m JOIN learning_teams t ON t.id = m.team_id
         WHERE t.name = '晨练队'`,
      )[0]?.n,
    ).toBe(2);
  }, 60_000);
});
