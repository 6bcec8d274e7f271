import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createI18n } from "../../src/i18n/index.ts";
import {
  computeReview,
  currentHalf,
  halfJustEnded,
  halfMonths,
  parseHalf,
} from "../../src/review/figures.ts";
import { reviewPdf, reviewTables, reviewWorkbook } from "../../src/review/render.ts";
import { NOW, seedReviewFixture, TARGETS, TZ } from "./fixture.ts";

function fixtureDb() {
  const db = openDatabase(":memory:");
  migrate(db);
  seedReviewFixture(db);
  return db;
}

const zero = {
  enrolments: 0,
  cancellations: 0,
  waitlistJoins: 0,
  sessionsHeld: 0,
  present: 0,
  expected: 0,
  attendanceRate: null,
  newVolunteers: 0,
  volunteerHours: 0,
  ratings: 0,
  averageRating: null,
};

describe("half years", () => {
  it("names the half just ended and the current one in local time", () => {
    expect(halfJustEnded(NOW, TZ)).toEqual({ year: 2026, half: 1 });
    // 1 January 08:00 local is still 31 December in UTC: the half is the year before's second.
    expect(halfJustEnded(new Date("2027-01-01T00:00:00.000Z"), TZ)).toEqual({ year: 2026, half: 2 });
    expect(currentHalf(new Date("2026-06-30T17:00:00.000Z"), TZ)).toEqual({ year: 2026, half: 2 });
    expect(halfMonths({ year: 2026, half: 2 })).toEqual([
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
      "2026-11",
      "2026-12",
    ]);
  });

  it("reads 2026H1 and 2026-h2, and nothing else", () => {
    expect(parseHalf("2026H1")).toEqual({ year: 2026, half: 1 });
    expect(parseHalf(" 2026-h2 ")).toEqual({ year: 2026, half: 2 });
    expect(parseHalf("2026H3")).toBeUndefined();
    expect(parseHalf("H1")).toBeUndefined();
  });
});

describe("computeReview", () => {
  const db = fixtureDb();
  const f = computeReview(db, { half: { year: 2026, half: 1 }, now: NOW, timezone: TZ, targets: TARGETS });

  it("measures every target up to the end of the half", () => {
    // Educated: P1, P2 (A), P3 (B), P4 (event E) = 4 of 200 residents. Kinds: arts, exercise.
    // Hours: 3 + 2.5 (the July shift is after the half). Organisations: (1 + 1) ÷ (4 + 2).
    // Reports due: north Jan (on time), Feb (late), Mar (missing), south Jan = 4; sent 3.
    expect(f.targets).toEqual([
      { key: "residents_educated", target: 2000, figure: 4, progress: 0.002 },
      { key: "course_kinds", target: 10, figure: 2, progress: 0.2 },
      { key: "events", target: 10, figure: 1, progress: 0.1 },
      { key: "participation_rate", target: 0.5, figure: 0.02, progress: 0.04 },
      { key: "employee_continuing_education_rate", target: 0.5, figure: 0.333, progress: 0.666 },
      { key: "volunteer_hours", target: 1500, figure: 5.5, progress: 0.004 },
      { key: "monthly_report", target: true, figure: 0.75, progress: null },
    ]);
    expect(f.from).toBe("2025-12-31T16:00:00.000Z");
    expect(f.to).toBe("2026-06-30T16:00:00.000Z");
  });

  it("gives the trend month by month", () => {
    expect(f.monthKeys[0]).toBe("2026-01");
    expect(f.months).toEqual([
      { ...zero, enrolments: 1, newVolunteers: 1 },
      { ...zero, enrolments: 1, sessionsHeld: 1, expected: 2, present: 2, attendanceRate: 1 },
      {
        ...zero,
        enrolments: 1,
        cancellations: 1,
        sessionsHeld: 2,
        expected: 3,
        present: 2,
        attendanceRate: 0.667,
        ratings: 1,
        averageRating: 5,
      },
      { ...zero, volunteerHours: 3, ratings: 1, averageRating: 3 },
      { ...zero, enrolments: 1, sessionsHeld: 1, expected: 1, present: 1, attendanceRate: 1 },
      { ...zero, volunteerHours: 2.5 },
    ]);
  });

  it("gives each site's and each category's half", () => {
    expect(f.sites).toEqual([
      {
        ...zero,
        key: "north",
        nameZh: "北街社区学校",
        nameEn: "North Street School",
        enrolments: 3,
        sessionsHeld: 3,
        expected: 5,
        present: 4,
        attendanceRate: 0.8,
        volunteerHours: 3,
        ratings: 1,
        averageRating: 5,
      },
      {
        ...zero,
        key: "south",
        nameZh: "南街社区学校",
        nameEn: "South Street School",
        enrolments: 1,
        cancellations: 1,
        sessionsHeld: 1,
        expected: 1,
        present: 1,
        attendanceRate: 1,
        volunteerHours: 2.5,
        ratings: 1,
        averageRating: 3,
      },
    ]);
    const cat = (key: string) => f.categories.find((c) => c.key === key);
    expect(f.categories.map((c) => c.key)).toEqual(["arts", "culture", "exercise"]);
    expect(cat("arts")).toMatchObject({
      enrolments: 2,
      sessionsHeld: 2,
      expected: 4,
      present: 3,
      attendanceRate: 0.75,
    });
    expect(cat("arts")).toMatchObject({ ratings: 1, averageRating: 5 });
    expect(cat("exercise")).toMatchObject({
      enrolments: 1,
      sessionsHeld: 1,
      present: 1,
      ratings: 1,
      averageRating: 3,
    });
    expect(cat("culture")).toMatchObject({ enrolments: 1, sessionsHeld: 1, present: 1, ratings: 0 });
  });

  it("gives the organisations' rates, volunteering, satisfaction and unserved wishes", () => {
    // The supermarket: P1 trained, P4 only went to an event, P3 left: 1 of 4 employees.
    expect(f.organisations.organisations.map((o) => [o.name, o.members, o.trained, o.rate])).toEqual([
      ["北街超市", 2, 1, 0.25],
      ["南街工厂", 1, 1, 0.5],
    ]);
    expect(f.volunteerHours).toEqual({ half: 5.5, year: 5.5 });
    expect(f.satisfaction).toEqual({ ratings: 2, average: 4 });
    expect(f.wishes).toEqual([
      { topic: "computer", count: 2 },
      { topic: "language", count: 1 },
    ]);
  });

  it("gives the sites' monthly report status for the half", () => {
    expect(f.reports.map((r) => [r.code, r.months])).toEqual([
      ["north", ["submitted", "late", "missing", "none", "none", "open"]],
      ["south", ["submitted", "none", "none", "none", "none", "none"]],
    ]);
    expect([f.reportsDue, f.reportsSent]).toEqual([4, 3]);
  });

  it("stops a half in progress at now", () => {
    const mid = computeReview(db, {
      half: { year: 2026, half: 1 },
      now: new Date("2026-03-01T00:00:00.000Z"),
      timezone: TZ,
      targets: TARGETS,
    });
    expect(mid.volunteerHours.year).toBe(0);
    expect(mid.months[2]!.sessionsHeld).toBe(0);
    // The event's only session (May) has not been held yet.
    expect(mid.targets[2]!.figure).toBe(0);
  });
});

describe("the review's documents", async () => {
  const i18n = await createI18n("zh");
  const db = fixtureDb();
  const f = computeReview(db, { half: { year: 2026, half: 1 }, now: NOW, timezone: TZ, targets: TARGETS });

  for (const locale of ["zh", "en"] as const) {
    it(`prints a summary of at most two pages (${locale}) naming the targets`, async () => {
      const t = i18n.getFixedT(locale);
      const pdf = await reviewPdf(t, locale, f, TZ);
      const parsed = await new PDFParse({ data: new Uint8Array(pdf) }).getText();
      expect(parsed.total).toBeGreaterThanOrEqual(1);
      expect(parsed.total).toBeLessThanOrEqual(2);
      const text = parsed.text.replace(/\s+/g, "");
      expect(text).toContain(t("review:target.residents_educated").replace(/\s+/g, ""));
      expect(text).toContain("北街超市");
    });
  }

  it("prints headings whole and names an organisation's site, not its code (en)", async () => {
    const t = i18n.getFixedT("en");
    const parsed = await new PDFParse({ data: new Uint8Array(await reviewPdf(t, "en", f, TZ)) }).getText();
    const text = parsed.text.replace(/\s+/g, "");
    for (const table of reviewTables(t, "en", f))
      for (const heading of table.headers) expect(text).toContain(heading.replace(/\s+/g, ""));
    expect(reviewTables(t, "en", f)[4]!.rows.map((r) => r[1])).toContain("North Street School");
    expect(text).toContain("NorthStreetSchool");
    expect(text).not.toMatch(/north(?!Street)/);
  });

  it("stays at two pages when every table is long", async () => {
    const big = {
      ...f,
      sites: Array.from({ length: 40 }, (_, i) => ({ ...f.sites[0]!, key: `s${i}`, nameZh: `站点${i}` })),
      categories: Array.from({ length: 12 }, (_, i) => ({ ...f.categories[0]!, key: `c${i}` })),
      wishes: Array.from({ length: 5 }, (_, i) => ({ topic: `t${i}`, count: 5 - i })),
      reports: Array.from({ length: 20 }, () => f.reports[0]!),
    };
    const t = i18n.getFixedT("zh");
    const parsed = await new PDFParse({ data: new Uint8Array(await reviewPdf(t, "zh", big, TZ)) }).getText();
    expect(parsed.total).toBeLessThanOrEqual(2);
  });

  it("puts every table in the spreadsheet", async () => {
    const t = i18n.getFixedT("en");
    const tables = reviewTables(t, "en", f);
    expect(tables.map((s) => s.name)).toEqual([
      "Targets",
      "By month",
      "By site",
      "By category",
      "Organisations",
      "Wishes not served",
      "Monthly reports",
    ]);
    expect(tables[0]!.rows[0]).toEqual(["Residents educated", "2000", "4", "0%"]);
    expect(tables[0]!.rows[4]).toEqual(["Employee training rate", "50%", "33%", "67%"]);
    const { default: ExcelJS } = await import("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reviewWorkbook(t, "en", f)).buffer as ArrayBuffer);
    expect(wb.worksheets.length).toBe(7);
    expect(wb.getWorksheet("By site")!.getRow(2).getCell(1).value).toBe("North Street School");
  });
});
