import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { triggersOf } from "./triggers.ts";

/**
 * A handler matches a button's data only through the route that also builds it
 * (cbRoute in src/callback-data.ts), never through a pattern of its own: a hand-written
 * regex or string drifts from the button silently, and the button goes dead.
 */

const sources = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, "utf8") }));

/** A route's pattern (`routes.x.pattern`, `cbFeature("crs").pattern`), or a list of them. */
const ROUTE_PATTERN = /^(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*|cbFeature\("[a-z]+"\))\.pattern$/;

function isRoutePattern(trigger: string): boolean {
  if (trigger.startsWith("[") && trigger.endsWith("]"))
    return trigger
      .slice(1, -1)
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== "")
      .every((t) => ROUTE_PATTERN.test(t));
  return ROUTE_PATTERN.test(trigger);
}

describe("callback handlers", () => {
  it("read a trigger as a route's pattern, a list of them, and nothing else", () => {
    expect(triggersOf(`pm.callbackQuery(orgRoutes.view.pattern, async (ctx) => {`)).toEqual([
      "orgRoutes.view.pattern",
    ]);
    expect(isRoutePattern("orgRoutes.view.pattern")).toBe(true);
    expect(isRoutePattern('cbFeature("tm").pattern')).toBe(true);
    expect(isRoutePattern("[enrolRoutes.start.pattern, enrolRoutes.someoneElse.pattern]")).toBe(true);
    const handWritten = triggersOf(
      'pm.callbackQuery(/^cert:c:(\\d+):(\\d+)$/, f);\npm.callbackQuery("stf:m", f);\n' +
        "pm.callbackQuery(new RegExp(`^enr:p:(\\\\d+)$`), f);\npm.callbackQuery([a.pattern, /^x$/], f);",
    );
    expect(handWritten).toHaveLength(4);
    expect(handWritten.filter(isRoutePattern)).toEqual([]);
  });

  it("in src/bot match callback data only through a route's pattern", () => {
    const handWritten: string[] = [];
    let seen = 0;
    for (const { file, text } of sources("src/bot")) {
      for (const trigger of triggersOf(text)) {
        seen++;
        if (!isRoutePattern(trigger)) handWritten.push(`${file}: ${trigger}`);
      }
    }
    expect(seen).toBeGreaterThan(90);
    expect(handWritten).toEqual([]);
  });
});
