/** Certificates through the real bot: asking for one, a health course's second press, verification by link. */
import { describe, expect, it } from "vitest";
import { buttons, createHarness, texts } from "../helpers/bot-harness.ts";
import { addCourse, DAY_MS, NOW, seedPlaces } from "../enrollment/fixture.ts";

const resident = { id: 8101, first_name: "林小梅", language_code: "zh" };
const someone = { id: 8102, first_name: "访客", language_code: "zh" };

async function setup() {
  const h = await createHarness({ now: NOW.toISOString() });
  seedPlaces(h.db);
  await h.send(resident, "/start");
  const self = h.db.prepare("SELECT id FROM people WHERE account_id = ?").pluck().get(resident.id) as number;
  const finished = (health: boolean) => {
    const course = addCourse(h.db, { firstAt: new Date(NOW.getTime() - 40 * DAY_MS), sessions: 4, health });
    h.db
      .prepare(
        "INSERT INTO enrolments (course_id, person_id, account_id, status, created_at, updated_at) VALUES (?, ?, ?, 'enrolled', ?, ?)",
      )
      .run(course, self, resident.id, NOW.toISOString(), NOW.toISOString());
    for (const s of h.db
      .prepare("SELECT id FROM sessions WHERE course_id = ? AND seq <= 3")
      .pluck()
      .all(course))
      h.db
        .prepare(
          "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, 'present', 'staff', ?)",
        )
        .run(s, self, NOW.toISOString());
    return course;
  };
  return { h, self, plain: finished(false), health: finished(true) };
}

describe("certificates in the chat", () => {
  it("sends the PDF and PNG, verifies the code by link, and says plainly when a code does not exist", async () => {
    const { h, self, plain, health } = await setup();
    const list = (await h.send(resident, "/certificates")).find((c) => c.method === "sendMessage");
    expect(buttons(list).map((b) => b.data)).toEqual([`cert:c:${plain}:${self}`, `cert:c:${health}:${self}`]);
    expect(buttons(list)[1]?.text).toContain("健康类课程");

    const sent = await h.press(resident, `cert:c:${plain}:${self}`);
    expect(sent.map((c) => c.method)).toEqual(expect.arrayContaining(["sendPhoto", "sendDocument"]));
    // A double tap: the second press does not send the picture and the PDF again.
    const twice = await h.press(resident, `cert:c:${plain}:${self}`);
    expect(twice.map((c) => c.method)).not.toContain("sendPhoto");
    expect(JSON.stringify(twice)).toContain("证书刚刚发过了");
    // Asked again later (a lost file): sent again.
    h.clock.advance(21_000);
    const later = await h.press(resident, `cert:c:${plain}:${self}`);
    expect(later.map((c) => c.method)).toEqual(expect.arrayContaining(["sendPhoto", "sendDocument"]));
    const code = h.db.prepare("SELECT code FROM certificates").pluck().get() as string;
    expect(code).toMatch(/^[A-Z2-9]{10}$/);

    const ok = texts(await h.send(someone, `/start v_${code}`)).join("\n");
    expect(ok).toContain("证书有效");
    expect(ok).toContain("林小梅");
    // A course's hours are hours of study, as the certificate itself says.
    expect(ok).toMatch(/\d+ 学时/);
    expect(texts(await h.send(someone, "/start v_ZZZZZZZZZZ")).join("\n")).toContain("没有这个验证码的证书");
  });

  it("issues a health course's certificate only after the explicit second press", async () => {
    const { h, self, health } = await setup();
    expect(texts(await h.press(resident, `cert:c:${health}:${self}`)).join("\n")).toContain("健康类课程");
    expect(h.db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(0);
    await h.press(resident, `cert:c:${health}:${self}:a`);
    expect(h.db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(1);
    // Someone else's forged press issues nothing.
    await h.press(someone, `cert:c:${health}:${self}:a`);
    expect(h.db.prepare("SELECT COUNT(*) FROM certificates").pluck().get()).toBe(1);
  });
});
