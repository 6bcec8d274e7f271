import { describe, expect, it } from "vitest";
import { validateCatalog } from "../../src/catalog/catalog-schema.ts";
import {
  expandSchedule,
  isValidDate,
  isValidTime,
  localDateTimeToUtc,
  parseLocalDateTime,
  planSessions,
} from "../../src/catalog/schedule.ts";
import { localParts } from "../../src/time.ts";

describe("planSessions", () => {
  it("keeps the local wall time across Berlin's autumn DST change", () => {
    // Mondays 09:00 from 12 Oct 2026; clocks go back on Sunday 25 Oct.
    const sessions = planSessions(
      { start: "2026-10-12", weeks: 4, weekdays: ["mon"], time: "09:00", duration_minutes: 90 },
      "Europe/Berlin",
    );
    expect(sessions.map((s) => s.startsAt)).toEqual([
      "2026-10-12T07:00:00.000Z",
      "2026-10-19T07:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
      "2026-11-02T08:00:00.000Z",
    ]);
    for (const s of sessions) {
      const local = localParts(new Date(s.startsAt), "Europe/Berlin");
      expect([local.hour, local.minute, local.weekday]).toEqual([9, 0, 0]);
      expect(Date.parse(s.endsAt) - Date.parse(s.startsAt)).toBe(90 * 60_000);
    }
    expect(sessions.map((s) => s.seq)).toEqual([1, 2, 3, 4]);
  });

  it("keeps the local wall time across Berlin's spring DST change", () => {
    const sessions = planSessions(
      { start: "2027-03-22", weeks: 2, weekdays: ["tue", "sat"], time: "18:30", duration_minutes: 60 },
      "Europe/Berlin",
    );
    expect(sessions.map((s) => s.startsAt)).toEqual([
      "2027-03-23T17:30:00.000Z",
      "2027-03-27T17:30:00.000Z",
      "2027-03-30T16:30:00.000Z",
      "2027-04-03T16:30:00.000Z",
    ]);
  });

  it("puts a 00:30 Shanghai session on the previous UTC day", () => {
    const [first] = planSessions(
      { dates: [{ date: "2026-12-01", time: "00:30", duration_minutes: 60 }] },
      "Asia/Shanghai",
    );
    expect(first?.startsAt).toBe("2026-11-30T16:30:00.000Z");
    expect(first?.endsAt).toBe("2026-11-30T17:30:00.000Z");
    expect(first?.localDate).toBe("2026-12-01");
  });

  it("numbers dated sessions in time order whatever order they are written in", () => {
    const sessions = planSessions(
      {
        dates: [
          { date: "2026-12-18", time: "14:30", duration_minutes: 90 },
          { date: "2026-10-23", time: "14:30", duration_minutes: 90 },
          { date: "2026-10-23", time: "09:00", duration_minutes: 60 },
        ],
      },
      "Asia/Shanghai",
    );
    expect(sessions.map((s) => [s.seq, s.localDate, s.localTime])).toEqual([
      [1, "2026-10-23", "09:00"],
      [2, "2026-10-23", "14:30"],
      [3, "2026-12-18", "14:30"],
    ]);
  });
});

describe("expandSchedule", () => {
  it("covers start .. start + 7 * weeks, on the listed weekdays, minus skipped days", () => {
    // 2026-09-10 is a Thursday: the first Monday is in the second week.
    const slots = expandSchedule({
      start: "2026-09-10",
      weeks: 2,
      weekdays: ["mon", "thu"],
      time: "09:00",
      duration_minutes: 60,
      skip: ["2026-09-17"],
    });
    expect(slots.map((s) => s.date)).toEqual(["2026-09-10", "2026-09-14", "2026-09-21"]);
  });
});

describe("date and time parsing", () => {
  it("accepts only real dates and 24-hour times", () => {
    expect(isValidDate("2026-02-28")).toBe(true);
    expect(isValidDate("2026-02-29")).toBe(false);
    expect(isValidDate("2026-2-28")).toBe(false);
    expect(isValidTime("00:00")).toBe(true);
    expect(isValidTime("23:59")).toBe(true);
    expect(isValidTime("24:00")).toBe(false);
    expect(isValidTime("9:00")).toBe(false);
    expect(parseLocalDateTime("2026-12-05 09:00")).toEqual({ date: "2026-12-05", time: "09:00" });
    expect(parseLocalDateTime("2026-12-05T09:00")).toEqual({ date: "2026-12-05", time: "09:00" });
    expect(parseLocalDateTime("2026-12-05")).toBeNull();
    expect(localDateTimeToUtc("2026-12-05 09:00", "Asia/Shanghai").toISOString()).toBe(
      "2026-12-05T01:00:00.000Z",
    );
  });
});

describe("schedule validation", () => {
  const withSchedule = (schedule: unknown) => ({
    sites: [{ code: "s", kind: "school", name: { zh: "学校", en: "School" } }],
    courses: [
      {
        code: "c",
        category: "arts",
        site: "s",
        title: { zh: "课", en: "Course" },
        audiences: ["everyone"],
        capacity: 10,
        schedule,
      },
    ],
  });

  it("asks for every missing part of a weekly term", () => {
    const r = validateCatalog(withSchedule({ start: "2026-09-01", time: "09:00" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^courses\[0\]\.schedule\.weeks: is required/),
        expect.stringMatching(/^courses\[0\]\.schedule\.weekdays: is required/),
        expect.stringMatching(/^courses\[0\]\.schedule\.duration_minutes: is required/),
      ]),
    );
  });

  it("rejects a skip date that is not a session day, and mixing dates with a term", () => {
    const skip = validateCatalog(
      withSchedule({
        start: "2026-09-07",
        weeks: 2,
        weekdays: ["mon"],
        time: "09:00",
        duration_minutes: 60,
        skip: ["2026-09-08"],
      }),
    );
    expect(skip.ok ? [] : skip.errors).toEqual([
      expect.stringMatching(/^courses\[0\]\.schedule\.skip\[0\]: 2026-09-08 is not a session day/),
    ]);
    const both = validateCatalog(
      withSchedule({ weeks: 2, dates: [{ date: "2026-09-08", time: "09:00", duration_minutes: 60 }] }),
    );
    expect(both.ok ? [] : both.errors).toEqual([
      expect.stringMatching(/^courses\[0\]\.schedule\.weeks: a schedule has either/),
    ]);
  });

  it("rejects a term that gives no sessions", () => {
    const r = validateCatalog(
      withSchedule({
        start: "2026-09-07",
        weeks: 1,
        weekdays: ["mon"],
        time: "09:00",
        duration_minutes: 60,
        skip: ["2026-09-07"],
      }),
    );
    expect(r.ok ? [] : r.errors).toEqual(["courses[0].schedule: gives no sessions at all"]);
  });
});
