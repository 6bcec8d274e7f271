import type { EmulatorState } from "../emulator/state.ts";
import { toPage } from "./chats.ts";
import { WebError } from "./http.ts";

/** The school's channel as the page shows it: a chat that only the bot writes in. */
export interface PageChannel {
  id: number;
  title: string;
}

/** The channel's posts, as a chat snapshot without a persona; `last_seq` is where its events resume. */
export function channelSnapshot(state: EmulatorState, channel: PageChannel) {
  return {
    channel,
    messages: state.messages(channel.id).map(toPage),
    last_seq: state.log.lastSeq,
  };
}

/** An inline result as the share picker lists it: what the person reads before choosing. */
export interface PickerResult {
  id: string;
  title: string;
  description: string;
}

/** How long the picker waits for the bot's answer; Telegram's own clients give up about as soon. */
const ANSWER_WAIT_MS = 8_000;

/**
 * A "Share" button pressed: the persona's client asks the bot `@bot <query>` as Telegram does
 * for switch_inline_query_chosen_chat, and the page gets the bot's results to choose from.
 */
export async function askInline(
  state: EmulatorState,
  userId: number,
  query: string,
): Promise<{ query_id: string; results: PickerResult[] }> {
  const after = state.log.lastSeq;
  let asked: { queryId: string };
  try {
    asked = state.inlineQuery(userId, query);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new WebError(400, `没能完成 · That did not work (${detail})`);
  }
  const answer = await state.log.waitFor(
    after,
    (e) => e.type === "inlineAnswer" && e.queryId === asked.queryId,
    { timeoutMs: ANSWER_WAIT_MS },
  );
  if (answer?.type !== "inlineAnswer")
    throw new WebError(504, "机器人没有回答，请再试一次。· The bot did not answer; try again.");
  return {
    query_id: asked.queryId,
    results: answer.answer.results.map((r) => ({
      id: r.id,
      title: typeof r.title === "string" ? r.title : r.id,
      description: typeof r.description === "string" ? r.description : "",
    })),
  };
}
