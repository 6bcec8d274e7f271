import { daySlot, localParts } from "../time.ts";

/** Bits of the availability grid: bit (day * 3 + slot), day 0 = Monday, slot 0 morning … 2 evening. */
export const GRID_BITS = 21;
export const ALL_AVAILABLE = (1 << GRID_BITS) - 1;

export function slotBit(day: number, slot: number): number {
  return day * 3 + slot;
}

/** Flips one cell of the grid; out-of-range bits leave it as it was. */
export function toggleBit(mask: number, bit: number): number {
  if (!Number.isInteger(bit) || bit < 0 || bit >= GRID_BITS) return mask;
  return mask ^ (1 << bit);
}

export function hasBit(mask: number, bit: number): boolean {
  return (mask & (1 << bit)) !== 0;
}

/** The grid cell a shift starting at `startsAt` falls in, read in the school's time zone. */
export function shiftBit(startsAt: Date | string, timezone: string): number {
  const p = localParts(new Date(startsAt), timezone);
  return slotBit(p.weekday, daySlot(p.hour));
}
