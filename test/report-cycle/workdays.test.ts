import { describe, expect, it } from "vitest";
import { fromRoot } from "../../src/paths.ts";
import {
  isWorkingDay,
  loadWorkdays,
  nthWorkingDay,
  parseWorkdays,
  WorkdaysError,
} from "../../src/report-cycle/workdays.ts";

const cal = loadWorkdays(fromRoot("data", "workdays.yaml"));

describe("the working-day calendar", () => {
  it("knows 2026's holidays and adjusted working days", () => {
    expect(isWorkingDay(cal, "2026-10-01")).toBe(false); // National Day
    expect(isWorkingDay(cal, "2026-10-10")).toBe(true); // a Saturday worked
    expect(isWorkingDay(cal, "2026-10-11")).toBe(false); // an ordinary Sunday
    expect(isWorkingDay(cal, "2026-02-14")).toBe(true);
    expect(isWorkingDay(cal, "2026-02-16")).toBe(false);
    expect(cal.years.get(2026)?.confirmed).toBe(true);
    expect(cal.years.get(2027)?.confirmed).toBe(false);
  });

  it("finds the first and fifth working days of a month with a holiday, by hand", () => {
    // October 2026: 1-7 holiday, 8 Thu, 9 Fri, 10 Sat (worked), 11 Sun, 12 Mon, 13 Tue.
    expect(nthWorkingDay(cal, "2026-10", 1)).toBe("2026-10-08");
    expect(nthWorkingDay(cal, "2026-10", 5)).toBe("2026-10-13");
    // December 2026 has none: Tue 1 … Mon 7.
    expect(nthWorkingDay(cal, "2026-12", 1)).toBe("2026-12-01");
    expect(nthWorkingDay(cal, "2026-12", 5)).toBe("2026-12-07");
    // January 2027: New Year's Day is a Friday.
    expect(nthWorkingDay(cal, "2027-01", 1)).toBe("2027-01-04");
  });

  it("refuses a calendar with mistakes, naming each", () => {
    const bad = {
      years: {
        "2026": {
          confirmed: true,
          holidays: [{ name: "x", from: "2026-05-05", to: "2026-05-01" }],
          workdays: ["2026-05-06", "2027-01-02"],
        },
      },
    };
    expect(() => parseWorkdays(bad)).toThrow(WorkdaysError);
    expect(() => parseWorkdays(bad)).toThrow(/ends before it begins.*already a weekday.*not in 2026/);
    expect(() => parseWorkdays({ years: { "2026": { confirmed: true, workdays: ["2026-02-30"] } } })).toThrow(
      /not a real date/,
    );
  });
});
