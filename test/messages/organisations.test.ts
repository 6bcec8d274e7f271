/** The organisations' section in the weekly digest (text and spreadsheet), from the report fixture. */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { acceptInvite, addMember, createInvite, memberLeft } from "../../src/organisations/members.ts";
import { registerOrganisation } from "../../src/organisations/register.ts";
import { computeDigestFigures } from "../../src/reports/digest.ts";
import { digestMessages } from "../../src/messages/digest-message.ts";
import { NOW, seedFixture, TARGETS, TZ } from "../reports/fixture.ts";

describe("organisations in the digest", async () => {
  const i18n = await createI18n("zh");
  const db = openDatabase(":memory:");
  migrate(db);
  seedFixture(db);
  const r = registerOrganisation(
    db,
    { siteId: 1, kind: "enterprise", name: "北街<超市>", contactName: "周", employees: 3 },
    null,
    NOW,
  );
  if (r.kind !== "registered") throw new Error(r.kind);
  db.prepare("INSERT INTO users (id, first_name, created_at) VALUES (900, 'C', ?)").run(NOW.toISOString());
  acceptInvite(db, createInvite(db, r.organisation.id, null, NOW), 900, NOW);
  const add = (name: string) => {
    const m = addMember(db, { organisationId: r.organisation.id, contactId: 900, name }, NOW);
    if (m.kind !== "added") throw new Error(m.kind);
    return m.member;
  };
  const a = add("甲");
  const b = add("乙");
  // 甲 holds a seat in course a (sessions this year); 乙 too, but left: 1 trained of 3 employees.
  const ins = db.prepare(
    "INSERT INTO enrolments (course_id, person_id, status, created_at, updated_at) VALUES (1, ?, 'enrolled', ?, ?)",
  );
  ins.run(a.personId, "2026-10-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z");
  ins.run(b.personId, "2026-10-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z");
  memberLeft(db, b.id, 900, NOW);

  it("shows each organisation's rate and the district's against the target, escaped", async () => {
    const figures = computeDigestFigures(db, { now: NOW, timezone: TZ, targets: TARGETS });
    expect(figures.organisations).toMatchObject({ employees: 3, trained: 1, rate: 0.333 });
    const [text, , doc] = await digestMessages(i18n.getFixedT("zh"), "zh", figures);
    expect(text?.text).toContain("学习型组织：职工培训率 33%（目标 50%，1/3 人）");
    expect(text?.text).toContain("⚠️ 北街&lt;超市&gt;（north）：1/3 人，33%");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(doc!.document!.bytes) as never);
    const sheet = wb.getWorksheet("学习型组织");
    expect(sheet?.getRow(2).values).toEqual([undefined, "north", "北街<超市>", "企业", 3, 1, 1, 0.333, 0.5]);
    expect(sheet?.getRow(3).getCell(1).value).toBe("全区合计");
  });
});
