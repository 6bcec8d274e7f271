import { expireOffers } from "../enrollment/offers.ts";
import { SCHEDULES } from "./schedules.ts";
import type { JobSpec } from "./types.ts";

/** Every minute: waitlist offers whose time ran out pass to the next person in line. */
export const offerExpiryJob: JobSpec = {
  name: "offer-expiry",
  schedule: SCHEDULES.offerExpiry,
  run(deps, now) {
    return { expired: expireOffers(deps.db, now, { offerHours: deps.config.offerHours }) };
  },
};
