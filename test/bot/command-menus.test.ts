/**
 * The ☰ command menus per role and language, set through the Bot API emulator and read back as
 * a Telegram client would resolve them (chat scope, then default; the user's language, then none).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { registerAllMenus } from "../../src/bot/commands.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { menuCommands } from "../../src/sandbox/web/chats.ts";
import { emulatorBot } from "../helpers/emulator-bot.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const describeIn = (lng: "zh" | "en", name: string): string =>
  (JSON.parse(readFileSync(`locales/${lng}/common.json`, "utf8")) as { commands: Record<string, string> })
    .commands[name]!;

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function setup() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  db.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(USERS.teacherA);
  const h = await emulatorBot(db, NOW);
  stop = h.stop;
  return {
    ...h,
    menu: (id: number, lang = "zh") => menuCommands(h.state, id, lang),
    names: (id: number, lang = "zh") => menuCommands(h.state, id, lang).map((c) => c.command),
  };
}

describe("command menus per role and language", () => {
  it("gives each kind of person their own menu at start-up, skipping who never opened the chat", async () => {
    const h = await setup();
    for (const id of [USERS.admin, USERS.staff1, USERS.teacherA, USERS.volunteer, USERS.wang]) h.open(id);
    // staff2 (102) never pressed Start: Telegram answers "chat not found" for their chat scope.
    const failures: (number | undefined)[] = [];
    const { set, failed } = await registerAllMenus(h.bot.api, h.deps.i18n, h.deps.db, "zh", (id) =>
      failures.push(id),
    );
    expect(failures).toEqual([USERS.staff2]);
    expect(failed).toBe(1);
    // Those after staff2 (teachers, volunteer) still got theirs.
    expect(set).toBeGreaterThanOrEqual(4);

    const admin = h.names(USERS.admin);
    expect(admin).toEqual(expect.arrayContaining(["grant", "revoke", "report", "digest", "start"]));
    const staff = h.names(USERS.staff1);
    expect(staff).toEqual(expect.arrayContaining(["summary", "digest", "report", "broadcast"]));
    expect(staff).not.toContain("grant");
    expect(staff).not.toContain("revoke");
    const teacher = h.names(USERS.teacherA);
    expect(teacher).toEqual(expect.arrayContaining(["roster", "attendance", "staff"]));
    expect(teacher).not.toContain("digest");
    const volunteer = h.names(USERS.volunteer);
    expect(volunteer).toContain("myshifts");
    expect(volunteer).not.toContain("staff");
    const resident = h.names(USERS.wang);
    expect(resident).toContain("courses");
    expect(resident).not.toContain("myshifts");
    expect(resident).not.toContain("staff");

    // Languages: the default menu follows the client's language; a chat menu the language chosen.
    const report = (id: number, lang: string) => h.menu(id, lang).find((c) => c.command === "report");
    expect(report(USERS.staff1, "zh")?.description).toBe(describeIn("zh", "report"));
    expect(h.menu(USERS.teacherA).find((c) => c.command === "roster")?.description).toBe(
      describeIn("en", "roster"),
    );
    expect(h.menu(USERS.wang, "en").find((c) => c.command === "courses")?.description).toBe(
      describeIn("en", "courses"),
    );
    expect(h.menu(USERS.wang, "zh").find((c) => c.command === "courses")?.description).toBe(
      describeIn("zh", "courses"),
    );
  });

  it("sets a staff member's menu when they first open the chat, and on grant and revoke", async () => {
    const h = await setup();
    h.open(USERS.admin);
    await registerAllMenus(h.bot.api, h.deps.i18n, h.deps.db, "zh", () => undefined);
    h.open(USERS.staff2);
    expect(h.names(USERS.staff2)).not.toContain("summary"); // the default menu only, so far
    await h.say(USERS.staff2, "/start");
    expect(h.names(USERS.staff2)).toEqual(expect.arrayContaining(["summary", "report"]));

    h.open(USERS.li);
    await h.say(USERS.li, "/start");
    expect(h.names(USERS.li)).not.toContain("summary");
    await h.say(USERS.admin, `/grant ${USERS.li} staff north`);
    expect(h.names(USERS.li)).toEqual(expect.arrayContaining(["summary", "report"]));
    expect(h.names(USERS.li)).not.toContain("grant");
    await h.say(USERS.admin, `/grant ${USERS.li} admin`);
    expect(h.names(USERS.li)).toContain("grant");
    await h.say(USERS.admin, `/revoke ${USERS.li} admin`);
    await h.say(USERS.admin, `/revoke ${USERS.li} staff north`);
    expect(h.names(USERS.li)).not.toContain("summary");
    expect(h.names(USERS.li)).toContain("courses");
  });
});
