import { describe, expect, it } from "vitest";
import { addDays, localParts, startOfLocalWeek, weekdayOf, zonedTimeToUtc } from "../src/time.ts";

describe("time zones", () => {
  it("converts Shanghai wall time to UTC, across midnight", () => {
    expect(zonedTimeToUtc("2026-03-02", "09:00", "Asia/Shanghai").toISOString()).toBe(
      "2026-03-02T01:00:00.000Z",
    );
    expect(zonedTimeToUtc("2026-03-02", "00:30", "Asia/Shanghai").toISOString()).toBe(
      "2026-03-01T16:30:00.000Z",
    );
  });

  it("handles Berlin's daylight-saving days", () => {
    expect(zonedTimeToUtc("2026-03-29", "01:30", "Europe/Berlin").toISOString()).toBe(
      "2026-03-29T00:30:00.000Z",
    );
    expect(zonedTimeToUtc("2026-03-29", "03:30", "Europe/Berlin").toISOString()).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    // 02:30 does not exist that day: moved forward by the gap.
    expect(zonedTimeToUtc("2026-03-29", "02:30", "Europe/Berlin").toISOString()).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    // 02:30 happens twice in October: the earlier one.
    expect(zonedTimeToUtc("2026-10-25", "02:30", "Europe/Berlin").toISOString()).toBe(
      "2026-10-25T00:30:00.000Z",
    );
    expect(zonedTimeToUtc("2026-10-25", "12:00", "Europe/Berlin").toISOString()).toBe(
      "2026-10-25T11:00:00.000Z",
    );
  });

  it("reads local parts and weeks", () => {
    const p = localParts(new Date("2026-03-01T16:30:00.000Z"), "Asia/Shanghai");
    expect([p.year, p.month, p.day, p.hour, p.minute, p.weekday]).toEqual([2026, 3, 2, 0, 30, 0]);
    expect(weekdayOf("2026-11-28")).toBe(5);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(startOfLocalWeek(new Date("2026-11-28T12:00:00Z"), "Asia/Shanghai").toISOString()).toBe(
      "2026-11-22T16:00:00.000Z",
    );
  });
});
