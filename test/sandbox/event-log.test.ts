import { describe, expect, it } from "vitest";
import { EventLog } from "../../src/sandbox/emulator/events.ts";

const action = (chatId: number) => ({ type: "chatAction" as const, chatId, action: "typing" });

describe("EventLog", () => {
  it("keeps exactly the last `max` events, in order, however many came before", () => {
    const log = new EventLog(5);
    for (let n = 1; n <= 23; n++) {
      log.push(action(n % 2));
      const kept = log.since(0).map((e) => e.seq);
      const first = Math.max(1, n - 4);
      expect(kept).toEqual(Array.from({ length: n - first + 1 }, (_, i) => first + i));
    }
    expect(log.lastSeq).toBe(23);
  });

  it("answers since(seq, chat) from the kept events only", () => {
    const log = new EventLog(4);
    for (let n = 1; n <= 10; n++) log.push(action(n % 2));
    expect(log.since(0, 1).map((e) => e.seq)).toEqual([7, 9]);
    expect(log.since(8).map((e) => e.seq)).toEqual([9, 10]);
    expect(log.since(10)).toEqual([]);
  });

  it("logs a copy: changing the event afterwards changes nothing logged", () => {
    const log = new EventLog();
    const scope: Record<string, unknown> = { type: "chat", chat_id: 7, extra: { list: [1, { deep: "a" }] } };
    const commands = [{ command: "start", description: "开始 🎉" }];
    const pushed = log.push({ type: "commands", chatId: 7, scope, language_code: "zh", commands });
    (scope.extra as { list: unknown[] }).list.push(2);
    ((scope.extra as { list: { deep: string }[] }).list[1] as { deep: string }).deep = "b";
    (commands[0] as { command: string }).command = "stop";
    const [logged] = log.since(0);
    expect(logged).toEqual({
      type: "commands",
      chatId: 7,
      seq: 1,
      scope: { type: "chat", chat_id: 7, extra: { list: [1, { deep: "a" }] } },
      language_code: "zh",
      commands: [{ command: "start", description: "开始 🎉" }],
    });
    expect(pushed).toBe(logged);
  });
});
