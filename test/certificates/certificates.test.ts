import { PDFParse } from "pdf-parse";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  completionOf,
  completionsOfAccount,
  issueCourseCertificate,
  issueVolunteerCertificate,
  verifyCertificate,
} from "../../src/certificates/issue.ts";
import { certificateLines, certificatePdf, certificatePng } from "../../src/certificates/render.ts";
import { forgetAccount } from "../../src/own-data/own-data.ts";
import { createI18n } from "../../src/i18n/index.ts";
import { addCourse, addUser, DAY_MS, freshDb, NOW } from "../enrollment/fixture.ts";
import { finished } from "./fixture.ts";

describe("who gets a certificate of completion", () => {
  it("needs 75 % of the held sessions once the course has ended, or the course's own share", () => {
    const db = freshDb();
    const u = addUser(db, 1, "林小梅");
    const three = finished(db, u.selfId, 3);
    const two = finished(db, u.selfId, 2);
    const half = finished(db, u.selfId, 2, { share: 0.5 });
    const running = addCourse(db, { firstAt: new Date(NOW.getTime() - 8 * DAY_MS), sessions: 4 });
    expect(completionOf(db, three, u.selfId, NOW)).toMatchObject({
      held: 4,
      present: 3,
      share: 0.75,
      hours: 6,
      eligible: true,
    });
    expect(completionOf(db, two, u.selfId, NOW)).toMatchObject({ present: 2, share: 0.5, eligible: false });
    expect(completionOf(db, half, u.selfId, NOW)).toMatchObject({ required: 0.5, eligible: true });
    expect(completionOf(db, running, u.selfId, NOW)).toMatchObject({
      held: 2,
      ended: false,
      eligible: false,
    });
    expect(completionsOfAccount(db, 1, NOW).map((c) => c.courseId)).toEqual([three, half]);
  });

  it("issues once, with the name as given; a health course only when asked", () => {
    const db = freshDb();
    const u = addUser(db, 1, "林小梅");
    addUser(db, 2);
    const course = finished(db, u.selfId, 4);
    const health = finished(db, u.selfId, 4, { health: true });
    expect(issueCourseCertificate(db, { accountId: 2, personId: u.selfId, courseId: course }, NOW).kind).toBe(
      "notYours",
    );
    const first = issueCourseCertificate(db, { accountId: 1, personId: u.selfId, courseId: course }, NOW);
    expect(first).toMatchObject({ kind: "issued", isNew: true, certificate: { name: "林小梅", hours: 6 } });
    const again = issueCourseCertificate(db, { accountId: 1, personId: u.selfId, courseId: course }, NOW);
    expect(again.kind === "issued" && first.kind === "issued" && again.certificate.code).toBe(
      first.kind === "issued" && first.certificate.code,
    );
    expect(issueCourseCertificate(db, { accountId: 1, personId: u.selfId, courseId: health }, NOW).kind).toBe(
      "askFirst",
    );
    expect(
      issueCourseCertificate(db, { accountId: 1, personId: u.selfId, courseId: health, asked: true }, NOW)
        .kind,
    ).toBe("issued");
    expect(db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(2);
  });

  it("verifies a code, and says plainly when one does not exist", () => {
    const db = freshDb();
    const u = addUser(db, 1, "林小梅");
    const r = issueCourseCertificate(
      db,
      { accountId: 1, personId: u.selfId, courseId: finished(db, u.selfId, 3) },
      NOW,
    );
    if (r.kind !== "issued") throw new Error(r.kind);
    expect(verifyCertificate(db, r.certificate.code)).toMatchObject({
      name: "林小梅",
      titleZh: expect.stringContaining("书法"),
    });
    // Typed by hand from paper: lower case and spaces still find it.
    const typed = `${r.certificate.code.slice(0, 4)} ${r.certificate.code.slice(4)}`.toLowerCase();
    expect(verifyCertificate(db, typed)?.code).toBe(r.certificate.code);
    expect(verifyCertificate(db, "NOSUCHCODE")).toBeUndefined();
    forgetAccount(db, 1, NOW, { offerHours: 24 });
    expect(verifyCertificate(db, r.certificate.code)?.name).toBe("—");
    expect(verifyCertificate(db, "x'; DROP")).toBeUndefined();
  });

  it("gives a volunteer a yearly certificate of the hours served", () => {
    const db = freshDb();
    addUser(db, 5, "志愿者");
    db.prepare(
      "INSERT INTO volunteers (user_id, name, status, consent_at, created_at) VALUES (5, '王老师', 'approved', ?, ?)",
    ).run(NOW.toISOString(), NOW.toISOString());
    const shift = db.prepare(
      `INSERT INTO shifts (id, title_zh, title_en, site_id, starts_at, ends_at, needed, checkin_code, created_at)
       VALUES (?, '值班', 'Shift', 1, ?, ?, 1, ?, ?)`,
    );
    shift.run(1, "2026-03-01T01:00:00.000Z", "2026-03-01T03:00:00.000Z", "S1", NOW.toISOString());
    shift.run(2, "2026-06-01T01:00:00.000Z", "2026-06-01T04:00:00.000Z", "S2", NOW.toISOString());
    shift.run(3, "2025-06-01T01:00:00.000Z", "2025-06-01T04:00:00.000Z", "S3", NOW.toISOString());
    const assign = db.prepare(
      "INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at, hours) VALUES (?, 5, 'filled', ?, ?)",
    );
    assign.run(1, NOW.toISOString(), 2);
    assign.run(2, NOW.toISOString(), 2.5);
    assign.run(3, NOW.toISOString(), 3);
    const year = {
      userId: 5,
      year: 2026,
      from: new Date("2025-12-31T16:00:00Z"),
      to: new Date("2026-12-31T16:00:00Z"),
    };
    expect(issueVolunteerCertificate(db, year, NOW)).toMatchObject({
      kind: "issued",
      certificate: { name: "王老师", hours: 4.5 },
    });
    expect(
      issueVolunteerCertificate(
        db,
        { ...year, year: 2024, from: new Date("2024-01-01"), to: new Date("2025-01-01") },
        NOW,
      ).kind,
    ).toBe("noHours");
  });
});

describe("the certificate's files", async () => {
  const i18n = await createI18n("zh");
  const db = freshDb();
  const u = addUser(db, 1, "林小梅😀");
  const r = issueCourseCertificate(
    db,
    { accountId: 1, personId: u.selfId, courseId: finished(db, u.selfId, 4) },
    NOW,
  );
  if (r.kind !== "issued") throw new Error(r.kind);
  const lines = certificateLines(
    i18n.getFixedT("zh"),
    "zh",
    r.certificate,
    `https://t.me/bot?start=v_${r.certificate.code}`,
    "Asia/Shanghai",
  );

  it("prints a PDF whose text reads back: name, course, hours, school, code", async () => {
    const pdf = await certificatePdf(lines);
    const text = (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text;
    for (const s of ["结业证书", "林小梅", "书法", "6 学时", "东湖社区学校", r.certificate.code])
      expect(text).toContain(s);
    expect(text).not.toContain("😀");
  });

  it("quotes an English title with straight quotes, which the card's CJK face draws narrow", () => {
    const en = certificateLines(
      i18n.getFixedT("en"),
      "en",
      r.certificate,
      "https://t.me/bot",
      "Asia/Shanghai",
    );
    expect(en.body).toMatch(/^has completed "[^"]+", 6 hours of study\.$/);
    expect(en.body).not.toMatch(/[“”]/);
  });

  it("dates the certificate by the school's calendar, not by UTC", () => {
    // 17:30 UTC on 30 Nov is 01:30 on 1 Dec in Shanghai.
    const late = { ...r.certificate, issuedAt: "2026-11-30T17:30:00.000Z" };
    expect(certificateLines(i18n.getFixedT("zh"), "zh", late, "https://t.me/bot", "Asia/Shanghai").date).toBe(
      "2026-12-01",
    );
  });

  it("draws a PNG card", async () => {
    const png = PNG.sync.read(Buffer.from(await certificatePng(lines)));
    expect([png.width, png.height]).toEqual([1200, 850]);
  });
});
