/**
 * Long-lived pieces the features need beside the database: filled in as the notification
 * sender, the reports and the rest are wired at the composition root.
 */
// biome-ignore lint/complexity/noBannedTypes: grows as features land
export type BotServices = {};
