import type { Db } from "../db/connection.ts";

/** Bilingual text as stored (zh always there; en may be empty). */
export interface PlaceText {
  zh: string;
  en: string;
}

/** Where a class happens: the site, the room (if any) and the street address. */
export interface ClassPlace {
  site: PlaceText;
  venue: PlaceText | null;
  address: PlaceText;
}

interface PlaceRow {
  site_zh: string;
  site_en: string;
  site_address_zh: string;
  site_address_en: string;
  venue_zh: string | null;
  venue_en: string | null;
  venue_address_zh: string | null;
  venue_address_en: string | null;
}

/**
 * The place of a course, or of one of its sessions when `sessionId` is given (a session may
 * move to another room). The venue's own address wins over the site's.
 */
export function classPlace(db: Db, courseId: number, sessionId?: number): ClassPlace | undefined {
  const r = db
    .prepare<[number | null, number], PlaceRow>(
      `SELECT st.name_zh AS site_zh, st.name_en AS site_en, st.address_zh AS site_address_zh,
              st.address_en AS site_address_en, v.name_zh AS venue_zh, v.name_en AS venue_en,
              v.address_zh AS venue_address_zh, v.address_en AS venue_address_en
       FROM courses c JOIN sites st ON st.id = c.site_id
       LEFT JOIN sessions s ON s.id = ? AND s.course_id = c.id
       LEFT JOIN venues v ON v.id = COALESCE(s.venue_id, c.venue_id)
       WHERE c.id = ?`,
    )
    .get(sessionId ?? null, courseId);
  if (!r) return undefined;
  const venueAddress = { zh: r.venue_address_zh ?? "", en: r.venue_address_en ?? "" };
  return {
    site: { zh: r.site_zh, en: r.site_en },
    venue: r.venue_zh === null ? null : { zh: r.venue_zh, en: r.venue_en ?? "" },
    address:
      venueAddress.zh || venueAddress.en ? venueAddress : { zh: r.site_address_zh, en: r.site_address_en },
  };
}
