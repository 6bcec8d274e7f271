import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { verifyCertificate } from "../../src/certificates/issue.ts";
import { DEMO_CERTIFICATE } from "../../src/demo/plan.ts";
import { seedDemo } from "../../src/demo/demo.ts";
import { importCatalogFile } from "../../src/catalog/import.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { organisationRates } from "../../src/organisations/rates.ts";
import { yearGrid } from "../../src/report-cycle/cycle.ts";
import { learningTeamCandidates } from "../../src/selection/teams.ts";
import { DEMO_TEAM } from "../../src/demo/teams.ts";

const DATA = fileURLToPath(new URL("../../data/", import.meta.url));
const OPTS = { timezone: "Asia/Shanghai", now: new Date("2026-11-28T04:00:00.000Z") };

describe("the sandbox's demo of the work plan's measures", () => {
  it("has two organisations, an on-time and a late report, and a certificate to verify; twice adds nothing", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    importCatalogFile(db, join(DATA, "catalog.yaml"), OPTS);
    seedDemo(db, OPTS);
    seedDemo(db, OPTS);
    const rates = organisationRates(db, { yearStart: new Date("2025-12-31T16:00:00Z"), now: OPTS.now });
    expect(rates.organisations.map((o) => [o.name, o.members, o.employees])).toEqual(
      expect.arrayContaining([
        ["金桥科技有限公司", 6, 12],
        ["公园路小学教工", 3, 8],
      ]),
    );
    const grid = yearGrid(db, 2026, OPTS.now).filter((g) => g.months[8] !== "none");
    expect(grid.map((g) => [g.code, g.months[8]])).toEqual([
      ["jingtai", "submitted"],
      ["park", "late"],
    ]);
    expect(verifyCertificate(db, DEMO_CERTIFICATE)?.name).toBe("王秀兰");
    expect(db.prepare("SELECT COUNT(*) FROM organisation_members").pluck().get()).toBe(9);
    // One learning team on the finished course, formed once, whose members completed it.
    expect(db.prepare("SELECT COUNT(*) FROM learning_teams").pluck().get()).toBe(1);
    const teams = learningTeamCandidates(db, new Date("2025-12-31T16:00:00Z"), OPTS.now);
    expect(teams).toHaveLength(1);
    expect(teams[0]).toMatchObject({ name: DEMO_TEAM, members: 4 });
    expect(teams[0]?.completed).toBeGreaterThanOrEqual(2);
    expect(teams[0]?.names[0]).toBe("王秀兰");
  });
});
