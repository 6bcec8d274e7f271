/**
 * Certificates of the annual selection: the table rebuilt by migration 011 keeps what was issued,
 * a family's or team's certificate is issued once per selection and person, verifies by its code
 * and prints as a PDF whose text reads back.
 */
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import {
  issueSelectionCertificate,
  selectionCertificatesOfAccount,
  verifyCertificate,
} from "../../src/certificates/issue.ts";
import { certificateLines, certificatePdf } from "../../src/certificates/render.ts";
import type { Db } from "../../src/db/connection.ts";
import { openDatabase } from "../../src/db/connection.ts";
import { loadMigrations, migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { addCourse, addUser, freshDb, NOW, seedPlaces } from "../enrollment/fixture.ts";

function selection(db: Db, kind: "family" | "team", ref: number): number {
  return Number(
    db
      .prepare(
        `INSERT INTO selections (year, kind, account_id, team_id, selected_by, selected_at) VALUES (2026, ?, ?, ?, 1, ?)`,
      )
      .run(kind, kind === "family" ? ref : null, kind === "team" ? ref : null, NOW.toISOString())
      .lastInsertRowid,
  );
}

describe("migration 011", () => {
  it("keeps the certificates issued before and takes the two new kinds", () => {
    const db = openDatabase(":memory:");
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 10),
    );
    seedPlaces(db);
    db.prepare(
      `INSERT INTO certificates (code, kind, volunteer_id, year, name, title_zh, title_en, school_zh, school_en, hours, issued_at)
       VALUES ('OLDCODE123', 'volunteer', 7, 2025, '王老师', '志愿服务', 'Service', '区中心', 'Centre', 12.5, ?)`,
    ).run(NOW.toISOString());
    expect(() =>
      db
        .prepare(
          `INSERT INTO certificates (code, kind, name, title_zh, title_en, school_zh, school_en, hours, issued_at)
           VALUES ('NEWCODE123', 'family', 'x', 'x', 'x', 'x', 'x', 0, ?)`,
        )
        .run(NOW.toISOString()),
    ).toThrow(/CHECK/);
    migrate(db);
    expect(verifyCertificate(db, "OLDCODE123")).toMatchObject({
      kind: "volunteer",
      name: "王老师",
      hours: 12.5,
    });
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'certificates' AND sql IS NOT NULL",
      )
      .pluck()
      .all();
    expect(indexes.sort()).toEqual([
      "certificates_course",
      "certificates_selection",
      "certificates_volunteer",
    ]);
    expect(db.pragma("foreign_key_check")).toEqual([]);
  });
});

describe("a learning family's certificate", () => {
  it("is issued once per selection and person, verifies by code, and loses the name on /forget", () => {
    const db = freshDb();
    const u = addUser(db, 1, "李建国");
    const sel = selection(db, "family", 1);
    const input = {
      selectionId: sel,
      kind: "family" as const,
      year: 2026,
      personId: u.selfId,
      name: "李建国",
    };
    const first = issueSelectionCertificate(db, input, NOW);
    const again = issueSelectionCertificate(db, input, NOW);
    expect(again.code).toBe(first.code);
    expect(db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(1);
    expect(verifyCertificate(db, first.code)).toMatchObject({
      kind: "family",
      name: "李建国",
      titleZh: "2026 年度学习型家庭",
      titleEn: "Learning Family 2026",
      year: 2026,
    });
    expect(selectionCertificatesOfAccount(db, 1).map((c) => c.code)).toEqual([first.code]);
    expect(selectionCertificatesOfAccount(db, 2)).toEqual([]);
    forgetAccount(db, 1, NOW, { offerHours: 24 });
    expect(verifyCertificate(db, first.code)?.name).toBe("—");
  });

  it("prints a team's certificate with the team's name and the course's school", () => {
    const db = freshDb();
    const u = addUser(db, 1, "李建国");
    const course = addCourse(db);
    const team = db
      .prepare(
        "INSERT INTO learning_teams (course_id, name, name_key, formed_by, created_at) VALUES (?, '夕阳红书法队', '夕阳红书法队', 'staff', ?)",
      )
      .run(course, NOW.toISOString()).lastInsertRowid;
    const sel = selection(db, "team", Number(team));
    const c = issueSelectionCertificate(
      db,
      { selectionId: sel, kind: "team", year: 2026, personId: u.selfId, name: "夕阳红书法队", siteId: 1 },
      NOW,
    );
    expect(c).toMatchObject({
      kind: "team",
      name: "夕阳红书法队",
      titleEn: "Learning Team 2026",
      schoolZh: "东湖社区学校",
    });
  });
});

describe("the selection certificate's PDF", async () => {
  const i18n = await createI18n("zh");
  const db = freshDb();
  const u = addUser(db, 1, "李建国👪");
  const cert = issueSelectionCertificate(
    db,
    {
      selectionId: selection(db, "family", 1),
      kind: "family",
      year: 2026,
      personId: u.selfId,
      name: "李建国👪",
    },
    NOW,
  );

  it("reads back the kind, the holder's name, the year and the code, in Chinese and English", async () => {
    for (const [lng, words] of [
      ["zh", ["学习型家庭", "李建国", "2026 年度学习型家庭", cert.code]],
      ["en", ["Learning Family", "李建国", "Learning Family 2026", cert.code]],
    ] as const) {
      const lines = certificateLines(
        i18n.getFixedT(lng),
        lng,
        cert,
        `https://t.me/bot?start=v_${cert.code}`,
        "Asia/Shanghai",
      );
      const pdf = await certificatePdf(lines);
      const text = (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text;
      for (const w of words) expect(text).toContain(w);
      expect(text).not.toContain("学时");
      expect(text).not.toContain("hours");
    }
  });
});
