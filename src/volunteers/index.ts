export * from "./availability.ts";
export * from "./matching.ts";
export * from "./shifts.ts";
export * from "./shifts-store.ts";
export { skillList } from "./skills.ts";
export * from "./volunteers.ts";
