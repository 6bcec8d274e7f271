/**
 * The annual selection by hand: the board of learning families and teams, marking and unmarking
 * (a notified selection stays), and sending the certificates once through the outbox, skipping
 * people forgotten through /forget.
 */
import { describe, expect, it } from "vitest";
import { verifyCertificate } from "../../src/certificates/issue.ts";
import type { Db } from "../../src/db/connection.ts";
import { addFamilyMember } from "../../src/enrollment/family.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { parseConfig } from "../../src/config.ts";
import { TEMPLATES } from "../../src/messages/index.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { markSelected, notifySelected, selectionBoard, unmark } from "../../src/selection/selection.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { YEAR_START, attended, team } from "./fixture.ts";

const YEAR = 2026;
const ADMIN = 900;

/**
 * Two courses that ended this year (4 sessions each, 3 needed).
 * Families: the Lis (1): 李建国 3/4 of A, child 李小雨 4/4 of B — 2 members, 2 courses.
 *           the Zhangs (3): 张伟 and 张丽 4/4 of A — 2 members, 2 courses.
 *           the Chens (4): only 陈红 completed — not a family.
 * Teams:    晨读 on A: 王秀兰 (2) 4/4, 刘洋 (5) 4/4, 赵敏 (6) 3/4 — 3 of 3 completed.
 *           书友 on B: 李小雨 4/4 and 陈红 (4) 4/4, 孙丽 (7) 1/4 — 2 of 3 (孙丽 still enrolled).
 */
function fixture() {
  const db = freshDb();
  const a = addCourse(db, { firstAt: new Date(NOW.getTime() - 60 * DAY_MS), sessions: 4 });
  const b = addCourse(db, { firstAt: new Date(NOW.getTime() - 40 * DAY_MS), sessions: 4 });
  const member = (account: number, name: string) =>
    addFamilyMember(db, account, { name, relation: "child", birthYear: 2015 }, NOW).id;
  const li = addUser(db, 1, "李建国").selfId;
  const liChild = member(1, "李小雨");
  const wang = addUser(db, 2, "王秀兰").selfId;
  const zhang = addUser(db, 3, "张伟").selfId;
  const zhangLi = member(3, "张丽");
  const chen = addUser(db, 4, "陈红").selfId;
  const liu = addUser(db, 5, "刘洋").selfId;
  const zhao = addUser(db, 6, "赵敏").selfId;
  const sun = addUser(db, 7, "孙丽").selfId;
  addUser(db, ADMIN, "管理员");
  db.prepare(
    "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (?, ?, 7, 'enrolled', ?, ?)",
  ).run(b, sun, NOW.toISOString(), NOW.toISOString());
  attended(db, a, li, 3);
  attended(db, b, liChild, 4);
  attended(db, a, zhang, 4);
  attended(db, a, zhangLi, 4);
  attended(db, b, chen, 4);
  attended(db, a, wang, 4);
  attended(db, a, liu, 4);
  attended(db, a, zhao, 3);
  attended(db, b, sun, 1);
  const morning = team(db, a, "晨读", [wang, liu, zhao]);
  const readers = team(db, b, "书友", [liChild, chen, sun]);
  return { db, a, b, morning, readers, li, wang, liu };
}

const board = (db: Db) => selectionBoard(db, YEAR, YEAR_START, NOW);
const family = (accountId: number) => ({
  kind: "family" as const,
  accountId,
  year: YEAR,
  yearStart: YEAR_START,
  by: ADMIN,
});
const teamRef = (teamId: number) => ({
  kind: "team" as const,
  teamId,
  year: YEAR,
  yearStart: YEAR_START,
  by: ADMIN,
});

describe("the selection board", () => {
  it("lists the year's families and teams, none selected yet", () => {
    const { db, morning, readers } = fixture();
    const b = board(db);
    expect(b.families).toEqual([
      { accountId: 1, members: ["李建国", "李小雨"], courses: 2, selected: false, notified: false },
      { accountId: 3, members: ["张伟", "张丽"], courses: 2, selected: false, notified: false },
    ]);
    expect(b.teams.map((t) => [t.teamId, t.name, t.completed, t.members, t.selected])).toEqual([
      [morning, "晨读", 3, 3, false],
      [readers, "书友", 2, 3, false],
    ]);
    expect(b.pending).toBe(0);
  });
});

describe("marking", () => {
  it("marks a candidate once, refuses one that is not, unmarks, and audits each change", () => {
    const { db, morning } = fixture();
    expect(markSelected(db, family(1), NOW).kind).toBe("selected");
    // A double tap: already selected, nothing more written.
    expect(markSelected(db, family(1), NOW).kind).toBe("already");
    expect(markSelected(db, family(4), NOW).kind).toBe("notCandidate");
    expect(markSelected(db, teamRef(9999), NOW).kind).toBe("notCandidate");
    const r = markSelected(db, teamRef(morning), NOW);
    expect(r.kind).toBe("selected");
    expect(r.board.pending).toBe(2);
    expect(r.board.teams.find((t) => t.teamId === morning)?.selected).toBe(true);
    expect(unmark(db, family(1), NOW)).toMatchObject({ kind: "unmarked", board: { pending: 1 } });
    expect(unmark(db, family(1), NOW).kind).toBe("notSelected");
    expect(db.prepare("SELECT COUNT(*) FROM selections").pluck().get()).toBe(1);
    expect(
      db
        .prepare(
          "SELECT action, subject, actor_id FROM audit_log WHERE action LIKE 'selection.%' ORDER BY id",
        )
        .all(),
    ).toEqual([
      { action: "selection.mark", subject: "family:1", actor_id: ADMIN },
      { action: "selection.mark", subject: `team:${morning}`, actor_id: ADMIN },
      { action: "selection.unmark", subject: "family:1", actor_id: ADMIN },
    ]);
  });
});

describe("sending the certificates", () => {
  it("issues and queues one certificate per family and per team member's account, once, skipping the forgotten", () => {
    const { db, morning, li, wang, liu } = fixture();
    markSelected(db, family(1), NOW);
    markSelected(db, family(3), NOW);
    markSelected(db, teamRef(morning), NOW);
    // The Zhangs and 赵敏 leave through /forget after being marked.
    forgetAccount(db, 3, NOW, { offerHours: 24 });
    forgetAccount(db, 6, NOW, { offerHours: 24 });
    expect(board(db).pending).toBe(2);

    const sent = notifySelected(
      db,
      { year: YEAR, yearStart: YEAR_START, by: ADMIN, botUsername: "school_bot" },
      NOW,
    );
    expect(sent).toEqual({ families: 1, teams: 1, messages: 3 });
    const outbox = db
      .prepare("SELECT chat_id AS chatId, template, params FROM outbox ORDER BY chat_id")
      .all() as { chatId: number; template: string; params: string }[];
    expect(outbox.map((o) => [o.chatId, o.template])).toEqual([
      [1, "selection.certificate"],
      [2, "selection.certificate"],
      [5, "selection.certificate"],
    ]);
    const certs = db
      .prepare("SELECT kind, person_id AS personId, name, year FROM certificates ORDER BY id")
      .all();
    expect(certs).toEqual([
      { kind: "family", personId: li, name: "李建国", year: 2026 },
      { kind: "team", personId: wang, name: "晨读", year: 2026 },
      { kind: "team", personId: liu, name: "晨读", year: 2026 },
    ]);
    const b = board(db);
    expect(b.pending).toBe(0);
    expect(b.families.find((f) => f.accountId === 1)).toMatchObject({ selected: true, notified: true });

    // A second send (a double tap on Confirm) sends nothing.
    expect(
      notifySelected(db, { year: YEAR, yearStart: YEAR_START, by: ADMIN, botUsername: "school_bot" }, NOW),
    ).toEqual({
      families: 0,
      teams: 0,
      messages: 0,
    });
    expect(db.prepare("SELECT COUNT(*) FROM outbox").pluck().get()).toBe(3);
    expect(db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(3);
    // Sent is sent: it can no longer be taken back.
    expect(unmark(db, family(1), NOW).kind).toBe("notified");
    expect(unmark(db, teamRef(morning), NOW).kind).toBe("notified");
    expect(db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.notify'").pluck().get()).toBe(
      1,
    );
  });

  it("renders the queued message as the certificate's picture and PDF, in the recipient's language", async () => {
    const { db } = fixture();
    markSelected(db, family(1), NOW);
    notifySelected(db, { year: YEAR, yearStart: YEAR_START, by: ADMIN, botUsername: "school_bot" }, NOW);
    const row = db.prepare("SELECT params FROM outbox WHERE chat_id = 1").pluck().get() as string;
    const i18n = await createI18n("zh");
    const config = parseConfig({ BOT_TOKEN: "42:TEST_TOKEN_abcdefghijklmnopqrstuv" });
    const render = (lng: "zh" | "en") =>
      TEMPLATES["selection.certificate"]!(
        { db, config, i18n, t: i18n.getFixedT(lng), locale: lng, now: NOW, chatId: 1 },
        JSON.parse(row) as Record<string, unknown>,
      );
    const zh = (await render("zh")) as { text: string; photo?: unknown; document?: { filename: string } }[];
    const code = db.prepare("SELECT code FROM certificates").pluck().get() as string;
    expect(zh).toHaveLength(2);
    expect(zh[0]?.photo).toBeDefined();
    expect(zh[0]?.text).toContain("2026 年度学习型家庭");
    expect(zh[0]?.text).toContain(code);
    expect(zh[1]?.document?.filename).toBe(`certificate-${code}.pdf`);
    const en = (await render("en")) as { text: string }[];
    expect(en[0]?.text).toContain("Learning Family 2026");
    expect(verifyCertificate(db, code)?.kind).toBe("family");
    // Someone else's chat gets nothing from this row.
    expect(
      await TEMPLATES["selection.certificate"]!(
        { db, config, i18n, t: i18n.getFixedT("zh"), locale: "zh", now: NOW, chatId: 2 },
        JSON.parse(row) as Record<string, unknown>,
      ),
    ).toBeNull();
  });
});
