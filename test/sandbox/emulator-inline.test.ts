import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/sandbox/emulator/index.ts";
import { createEmulator } from "../../src/sandbox/emulator/index.ts";

const ALICE = 1001;
let emu: Emulator;
let apiRoot: string;

afterEach(async () => {
  await emu?.stop();
});

async function call(method: string, body: Record<string, unknown>) {
  const res = await fetch(`${apiRoot}/bot${emu.state.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    ...((await res.json()) as { ok: boolean; description?: string; result?: unknown }),
  };
}

const article = (id: string) => ({
  type: "article",
  id,
  title: "书法",
  input_message_content: { message_text: "<b>书法</b>", parse_mode: "HTML" },
});

describe("inline mode in the emulator", () => {
  it("delivers inline_query updates and checks answerInlineQuery against Telegram's limits", async () => {
    emu = createEmulator({ rateLimit: false });
    ({ apiRoot } = await emu.start(0));
    emu.state.ensureUser({ id: ALICE, first_name: "Alice", language_code: "zh-hans" });
    const long = "书".repeat(300);
    const asked = emu.state.inlineQuery(ALICE, long);
    const updates = (await call("getUpdates", {})).result as Array<{
      inline_query?: { id: string; query: string };
    }>;
    const update = updates.find((u) => u.inline_query?.id === asked.queryId);
    expect(Array.from(update?.inline_query?.query ?? "")).toHaveLength(256);

    const tooMany = Array.from({ length: 51 }, (_, i) => article(`c${i}`));
    expect(
      await call("answerInlineQuery", { inline_query_id: asked.queryId, results: tooMany }),
    ).toMatchObject({
      status: 400,
      description: "Bad Request: RESULTS_TOO_MUCH",
    });
    expect(
      await call("answerInlineQuery", { inline_query_id: asked.queryId, results: [article("x".repeat(65))] }),
    ).toMatchObject({ status: 400, description: "Bad Request: RESULT_ID_INVALID" });
    expect(
      await call("answerInlineQuery", {
        inline_query_id: asked.queryId,
        results: [article("a"), article("a")],
      }),
    ).toMatchObject({ status: 400, description: "Bad Request: RESULT_ID_DUPLICATE" });
    // 64 bytes exactly (CJK is 3 bytes a character) and 50 results are fine.
    const fifty = Array.from({ length: 50 }, (_, i) => article(i === 0 ? `${"码".repeat(21)}x` : `c${i}`));
    expect(await call("answerInlineQuery", { inline_query_id: asked.queryId, results: fifty })).toMatchObject(
      {
        status: 200,
        ok: true,
      },
    );
    const answered = emu.state.log.since(0).find((e) => e.type === "inlineAnswer");
    expect(answered?.type === "inlineAnswer" && answered.answer.results).toHaveLength(50);
    // Once answered, the query is spent.
    expect(await call("answerInlineQuery", { inline_query_id: asked.queryId, results: [] })).toMatchObject({
      status: 400,
    });
  });
});
