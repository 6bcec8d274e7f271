/**
 * Staff commands as the README documents them: every `/report …` example in README's staff
 * section is run as typed against the school's own catalog and answers with the spreadsheet of
 * the month it names; /help for staff lists the same examples.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { ensureAdmins } from "../../src/people/roles.ts";
import { parseReportArgs } from "../../src/reports/report-args.ts";
import { createHarness, texts } from "../helpers/bot-harness.ts";
import { emulatorBot } from "../helpers/emulator-bot.ts";
import { NOW, seedFixture, USERS } from "../reports/fixture.ts";

const ADMIN = { id: 9001, first_name: "Admin", language_code: "en" };

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** The lines of the ```text block in README's "Staff in chat" section. */
function readmeStaffLines(): string[] {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## Staff in chat"));
  const block = /```text\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block.split("\n").filter((l) => l.startsWith("/"));
}

/** The command as typed: the words before the run of spaces that starts the explanation. */
const commandOf = (line: string): string => line.split(/\s{2,}/)[0]!.trim();

async function withCatalog() {
  const db = openDatabase(":memory:");
  migrate(db);
  importCatalogFile(db, "data/catalog.yaml", { timezone: "Asia/Shanghai", now: NOW });
  ensureAdmins(db, [ADMIN.id], NOW);
  return createHarness({ db, now: NOW.toISOString() });
}

describe("/report arguments", () => {
  it("reads month words, YYYY-MM and a site code in either order", () => {
    expect(parseReportArgs("", "2026-11")).toEqual({ ok: true, month: "2026-11" });
    expect(parseReportArgs("month", "2026-11")).toEqual({ ok: true, month: "2026-11" });
    expect(parseReportArgs("本月", "2026-11")).toEqual({ ok: true, month: "2026-11" });
    expect(parseReportArgs("last", "2026-01")).toEqual({ ok: true, month: "2025-12" });
    expect(parseReportArgs("2026-9 park", "2026-11")).toEqual({
      ok: true,
      month: "2026-09",
      siteRef: "park",
    });
    expect(parseReportArgs("park month", "2026-11")).toEqual({ ok: true, month: "2026-11", siteRef: "park" });
    expect(parseReportArgs("2026-13", "2026-11")).toEqual({ ok: false, problem: "usage" });
    expect(parseReportArgs("2026-10 2026-11", "2026-11")).toEqual({ ok: false, problem: "usage" });
    expect(parseReportArgs("a b", "2026-11")).toEqual({ ok: false, problem: "usage" });
  });
});

describe("staff commands as documented", () => {
  it("answers every /report example of the README with that month's spreadsheet", async () => {
    const db = openDatabase(":memory:");
    migrate(db);
    importCatalogFile(db, "data/catalog.yaml", { timezone: "Asia/Shanghai", now: NOW });
    ensureAdmins(db, [ADMIN.id], NOW);
    const h = await emulatorBot(db, NOW);
    stop = h.stop;
    h.open(ADMIN.id, "en");
    const examples = readmeStaffLines()
      .map(commandOf)
      .filter((c) => c.startsWith("/report"));
    expect(examples).toEqual(
      expect.arrayContaining(["/report", "/report month", "/report 2026-11", "/report 2026-11 jingtai"]),
    );
    for (const example of examples) {
      const got = await h.say(ADMIN.id, example);
      const doc = got.find((m) => m.document);
      expect(doc, `${example}: ${got.map((m) => m.text).join(" | ")}`).toBeDefined();
      const month = example.includes("last") ? "2026-10" : "2026-11";
      const site = example.includes("jingtai") ? "-jingtai" : "";
      expect(doc?.document?.file_name, example).toBe(`report-${month}${site}.xlsx`);
      expect(doc?.text, example).toContain(month);
      if (site) expect(doc?.text).toContain("Jingtai Road Community School");
    }
  });

  it("lists the staff commands with the README's examples in /help, for staff only", async () => {
    const h = await withCatalog();
    const help = texts(await h.send(ADMIN, "/help")).join("\n");
    for (const line of readmeStaffLines()) {
      const command = commandOf(line);
      for (const part of command.split(/,\s*/)) expect(help, part).toContain(part);
    }
    const resident = texts(await h.send({ id: 9002, first_name: "R", language_code: "en" }, "/help")).join(
      "\n",
    );
    expect(resident).not.toContain("/report");
  });

  it("gives a site's staff the examples with their own site and a usage line for nonsense", async () => {
    const db = openDatabase(":memory:");
    migrate(db);
    seedFixture(db);
    const h = await createHarness({ db, now: NOW.toISOString() });
    const north = { id: USERS.staff1, first_name: "North", language_code: "zh" };
    const help = texts(await h.send(north, "/help")).join("\n");
    expect(help).toContain("/report 2026-11 north");
    expect(help).not.toContain("/grant");
    const usage = texts(await h.send(north, "/report 2026-13"))[0] ?? "";
    expect(usage).toContain("/report month");
  });
});
