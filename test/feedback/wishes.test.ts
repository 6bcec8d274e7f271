import { describe, expect, it } from "vitest";
import { topicForText } from "../../src/feedback/wish-topics.ts";
import { addWish, notifyWishersOfCourse, topWishes, wishCount } from "../../src/feedback/wishes.ts";
import { addCourse, addStaff, addUser, freshDb, NOW, outbox } from "./fixtures.ts";

describe("wish topics", () => {
  it("maps free text to a course category, or other", () => {
    expect(topicForText("太极")).toBe("exercise");
    expect(topicForText("想学太极拳")).toBe("exercise");
    expect(topicForText("tai chi please")).toBe("exercise");
    expect(topicForText("书法")).toBe("arts");
    expect(topicForText("智能手机怎么用")).toBe("computer");
    expect(topicForText("养蜂")).toBe("other");
  });
});

describe("wishes", () => {
  it("tells staff once when a topic reaches the threshold, counting people not rows", () => {
    const db = freshDb();
    addStaff(db, 90);
    addStaff(db, 91, "admin");
    for (const id of [1, 2, 3, 4]) addUser(db, id);
    expect(addWish(db, { accountId: 1, topics: [], text: "太极" }, 3, NOW)).toEqual({
      topics: ["exercise"],
      alerted: [],
      truncated: false,
    });
    addWish(db, { accountId: 1, topics: ["exercise"] }, 3, NOW); // the same person again
    expect(wishCount(db, "exercise")).toBe(1);
    expect(addWish(db, { accountId: 2, topics: ["exercise", "arts"] }, 3, NOW).alerted).toEqual([]);
    expect(addWish(db, { accountId: 3, topics: [], text: "打太极拳" }, 3, NOW).alerted).toEqual(["exercise"]);
    expect(outbox(db, "wish-alert:").map((o) => [o.key, o.template])).toEqual([
      ["wish-alert:exercise:3:90", "feedback.wishThreshold"],
      ["wish-alert:exercise:3:91", "feedback.wishThreshold"],
    ]);
    expect(addWish(db, { accountId: 4, topics: ["exercise"] }, 3, NOW).alerted).toEqual([]);
    expect(outbox(db, "wish-alert:")).toHaveLength(2);
    // Free text that names no topic is kept but never alerts.
    for (const id of [1, 2, 3])
      expect(addWish(db, { accountId: id, topics: [], text: "养蜂" }, 3, NOW).alerted).toEqual([]);
    expect(db.prepare("SELECT text FROM wishes WHERE topic = 'other' LIMIT 1").pluck().get()).toBe("养蜂");
    expect(topWishes(db, 2)).toEqual([
      { topic: "exercise", people: 4, samples: ["打太极拳", "太极"] },
      { topic: "other", people: 3, samples: ["养蜂"] },
    ]);
  });

  it("tells those who wished when a matching course opens, once", () => {
    const db = freshDb();
    for (const id of [1, 2, 3]) addUser(db, id);
    addWish(db, { accountId: 1, topics: ["exercise"] }, 99, NOW);
    addWish(db, { accountId: 1, topics: [], text: "太极" }, 99, NOW);
    addWish(db, { accountId: 2, topics: ["arts"] }, 99, NOW);
    addCourse(db, { id: 20, category: "exercise", sessions: ["2026-12-07T01:00:00.000Z"] });
    addCourse(db, { id: 21, category: "exercise", sessions: ["2026-12-08T01:00:00.000Z"], status: "draft" });
    expect(notifyWishersOfCourse(db, 21, NOW)).toBe(0);
    expect(notifyWishersOfCourse(db, 20, NOW)).toBe(1);
    expect(outbox(db, "wish-course:").map((o) => [o.chatId, o.template])).toEqual([
      [1, "feedback.wishCourse"],
    ]);
    expect(notifyWishersOfCourse(db, 20, NOW)).toBe(0);
  });
});
