import type { Conversation } from "@grammyjs/conversations";
import type { BotContext, ConvContext } from "../context.ts";

export type LifelongConversation = Conversation<BotContext, ConvContext>;

/** A conversation: its id (used with ctx.conversation.enter) and its builder. */
export interface ConversationSpec {
  id: string;
  builder: (conversation: LifelongConversation, ctx: ConvContext, ...args: never[]) => Promise<unknown>;
}

/** Every conversation of the bot. One file per conversation beside this one. */
export const CONVERSATIONS: ConversationSpec[] = [];
