import { describe, expect, it } from "vitest";
import { menuCommandNames } from "../../src/bot/commands.ts";
import { CONVERSATIONS } from "../../src/bot/conversations/index.ts";
import { JOBS } from "../../src/jobs/index.ts";
import { TEMPLATES } from "../../src/messages/index.ts";

// The shared registries are edited by several people: this catches a lost registration line.
describe("staff registrations", () => {
  it("registers the staff jobs, templates, conversations and commands", () => {
    expect(JOBS.find((j) => j.name === "digest")?.schedule).toBe("0 8 * * 1");
    expect(JOBS.some((j) => j.name === "broadcast-report")).toBe(true);
    for (const t of ["staff.digest", "staff.broadcast", "staff.broadcastReport"])
      expect(TEMPLATES[t], t).toBeTypeOf("function");
    expect(CONVERSATIONS.map((c) => c.id)).toEqual(
      expect.arrayContaining(["broadcast-compose", "course-add", "course-move"]),
    );
    expect(menuCommandNames("admin")).toEqual(
      expect.arrayContaining([
        "summary",
        "digest",
        "report",
        "roster",
        "attendance",
        "manage",
        "broadcast",
        "grant",
        "revoke",
      ]),
    );
  });
});
