import type { JobSpec } from "./types.ts";
import { runChannelFeed } from "../publicity/channel-feed.ts";

/** The channel feed, every quarter of an hour; without PUBLIC_CHANNEL it does nothing. */
export const channelFeedJob: JobSpec = {
  name: "channel-feed",
  schedule: "*/15 * * * *",
  run: ({ db, config }, now) => ({
    ...runChannelFeed(db, { channel: config.publicChannel, timezone: config.timezone }, now),
  }),
};
