/**
 * The "community education teacher library": sign-up, approval by staff, pause and leave.
 * Every decision writes its messages to the outbox in the same transaction.
 */
import { audit } from "../db/audit.ts";
import type { Db } from "../db/connection.ts";
import { immediate } from "../db/connection.ts";
import { enqueue, enqueueEach } from "../notify/outbox.ts";
import { cleanName } from "../people/accounts.ts";
import { isStaff } from "../people/roles.ts";
import { GRID_BITS } from "./availability.ts";
import { staffRecipients } from "../people/recipients.ts";

export type VolunteerStatus = "pending" | "approved" | "declined" | "paused" | "left";

/** A volunteer as stored: what they signed up with, and where their application stands. */
export interface Volunteer extends SignUp {
  status: VolunteerStatus;
  createdAt: string;
  decidedAt: string | null;
}

interface VolunteerRow {
  user_id: number;
  name: string;
  phone: string | null;
  skills: string;
  skills_note: string;
  availability: number;
  languages: string;
  status: VolunteerStatus;
  created_at: string;
  decided_at: string | null;
}

/** Languages a volunteer may say they speak; labels in volunteer:lang.<code>. */
export const VOLUNTEER_LANGUAGES = ["mandarin", "dialect", "english", "sign", "other"] as const;

/** Longest free text kept in a note or comment. */
export const MAX_NOTE = 1000;

const parseList = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
};

const toVolunteer = (r: VolunteerRow): Volunteer => ({
  userId: r.user_id,
  name: r.name,
  phone: r.phone,
  skills: parseList(r.skills),
  skillsNote: r.skills_note,
  availability: r.availability,
  languages: parseList(r.languages),
  status: r.status,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
});

const COLUMNS =
  "user_id, name, phone, skills, skills_note, availability, languages, status, created_at, decided_at";

/** The volunteer record of a user, or undefined when they never signed up. */
export function getVolunteer(db: Db, userId: number): Volunteer | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM volunteers WHERE user_id = ?`).get(userId) as
    | VolunteerRow
    | undefined;
  return row ? toVolunteer(row) : undefined;
}

export interface SignUp {
  userId: number;
  name: string;
  phone: string | null;
  skills: string[];
  skillsNote: string;
  availability: number;
  languages: string[];
}

export type SignUpResult = { ok: true; volunteer: Volunteer } | { ok: false; reason: "already" | "invalid" };

/**
 * Records a sign-up as pending and tells every staff member, with Approve / Decline buttons.
 * A person already pending, approved or paused cannot sign up again; one who was declined or
 * left may apply anew. Skills outside `knownSkills` (when given) are dropped.
 */
export function signUpVolunteer(
  db: Db,
  input: SignUp,
  now: Date,
  knownSkills?: readonly string[],
): SignUpResult {
  const name = cleanName(input.name);
  if (!name || !input.userId) return { ok: false, reason: "invalid" };
  const skills = [...new Set(input.skills)].filter((s) => !knownSkills || knownSkills.includes(s));
  const languages = [...new Set(input.languages)].filter((l) =>
    (VOLUNTEER_LANGUAGES as readonly string[]).includes(l),
  );
  const availability = input.availability & ((1 << GRID_BITS) - 1);
  const note = Array.from(input.skillsNote.trim()).slice(0, MAX_NOTE).join("");
  const at = now.toISOString();
  return immediate(db, () => {
    const existing = getVolunteer(db, input.userId);
    if (existing && !["declined", "left"].includes(existing.status))
      return { ok: false, reason: "already" } as const;
    db.prepare(
      `INSERT INTO volunteers (user_id, name, phone, skills, skills_note, availability, languages, status, consent_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, phone = excluded.phone, skills = excluded.skills,
         skills_note = excluded.skills_note, availability = excluded.availability, languages = excluded.languages,
         status = 'pending', consent_at = excluded.consent_at, created_at = excluded.created_at,
         decided_by = NULL, decided_at = NULL`,
    ).run(
      input.userId,
      name,
      input.phone,
      JSON.stringify(skills),
      note,
      availability,
      JSON.stringify(languages),
      at,
      at,
    );
    enqueueEach(
      db,
      staffRecipients(db),
      {
        keyPrefix: `vol-apply:${input.userId}:${at}`,
        template: "volunteers.pending",
        params: { userId: input.userId },
        dueAt: now,
      },
      now,
    );
    audit(db, at, input.userId, "volunteer.signup", input.userId);
    return { ok: true, volunteer: getVolunteer(db, input.userId)! } as const;
  });
}

export type DecideResult =
  | { ok: true; volunteer: Volunteer }
  | { ok: false; reason: "forbidden" | "unknown" | "decided"; status?: VolunteerStatus };

/**
 * Staff approve or decline a pending volunteer. The caller's role is checked here, against the
 * database, so a forged button from a resident changes nothing. A second press says who decided.
 */
export function decideVolunteer(
  db: Db,
  staffId: number,
  userId: number,
  approve: boolean,
  now: Date,
): DecideResult {
  const at = now.toISOString();
  return immediate(db, () => {
    if (!isStaff(db, staffId)) return { ok: false, reason: "forbidden" } as const;
    const v = getVolunteer(db, userId);
    if (!v) return { ok: false, reason: "unknown" } as const;
    if (v.status !== "pending") return { ok: false, reason: "decided", status: v.status } as const;
    const status = approve ? "approved" : "declined";
    db.prepare("UPDATE volunteers SET status = ?, decided_by = ?, decided_at = ? WHERE user_id = ?").run(
      status,
      staffId,
      at,
      userId,
    );
    enqueue(
      db,
      {
        key: `vol-decided:${userId}:${at}`,
        chatId: userId,
        template: "volunteers.decided",
        params: { approved: approve },
        dueAt: now,
      },
      now,
    );
    audit(db, at, staffId, `volunteer.${status}`, userId);
    return { ok: true, volunteer: getVolunteer(db, userId)! } as const;
  });
}

export type StatusChange = "pause" | "resume" | "leave";
export type StatusChangeResult =
  | { ok: true; status: VolunteerStatus; withdrawn: number[] }
  | { ok: false; reason: "not_volunteer" | "not_allowed" };

/**
 * A volunteer pauses (holiday), resumes or leaves. Leaving withdraws them from every upcoming
 * accepted shift (returned, so the caller can reopen and re-ping them through withdrawFromShift).
 */
export function changeVolunteerStatus(
  db: Db,
  userId: number,
  change: StatusChange,
  now: Date,
): StatusChangeResult {
  return immediate(db, () => {
    const v = getVolunteer(db, userId);
    if (!v) return { ok: false, reason: "not_volunteer" } as const;
    const allowed: Record<StatusChange, VolunteerStatus[]> = {
      pause: ["approved"],
      resume: ["paused"],
      leave: ["pending", "approved", "paused"],
    };
    if (!allowed[change].includes(v.status)) return { ok: false, reason: "not_allowed" } as const;
    const status: VolunteerStatus = change === "pause" ? "paused" : change === "resume" ? "approved" : "left";
    db.prepare("UPDATE volunteers SET status = ? WHERE user_id = ?").run(status, userId);
    // Outstanding pings are void: a paused or departed volunteer should not be counted on.
    if (status !== "approved") {
      db.prepare(
        "UPDATE shift_assignments SET status = 'cancelled', responded_at = ? WHERE volunteer_id = ? AND status = 'pinged'",
      ).run(now.toISOString(), userId);
    }
    const withdrawn =
      status === "left"
        ? (db
            .prepare(
              `SELECT a.shift_id FROM shift_assignments a JOIN shifts s ON s.id = a.shift_id
               WHERE a.volunteer_id = ? AND a.status = 'accepted' AND s.starts_at > ?`,
            )
            .pluck()
            .all(userId, now.toISOString()) as number[])
        : [];
    audit(db, now.toISOString(), userId, `volunteer.${change}`, userId);
    return { ok: true, status, withdrawn } as const;
  });
}

export interface VolunteerFilter {
  status?: VolunteerStatus;
  skill?: string;
  /** Volunteers free in any of these grid bits. */
  availableMask?: number;
}

/** Volunteers matching a filter, by name; for staff lists. */
export function listVolunteers(db: Db, filter: VolunteerFilter = {}, limit = 50): Volunteer[] {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM volunteers
       WHERE (@status IS NULL OR status = @status)
         AND (@skill IS NULL OR EXISTS (SELECT 1 FROM json_each(skills) WHERE value = @skill))
         AND (@mask IS NULL OR (availability & @mask) <> 0)
       ORDER BY name, user_id LIMIT @limit`,
    )
    .all({
      status: filter.status ?? null,
      skill: filter.skill ?? null,
      mask: filter.availableMask ?? null,
      limit,
    }) as VolunteerRow[];
  return rows.map(toVolunteer);
}

/** How many volunteers are in each status. */
export function volunteerCounts(db: Db): Record<VolunteerStatus, number> {
  const counts: Record<VolunteerStatus, number> = {
    pending: 0,
    approved: 0,
    declined: 0,
    paused: 0,
    left: 0,
  };
  for (const r of db.prepare("SELECT status, COUNT(*) AS n FROM volunteers GROUP BY status").all() as {
    status: VolunteerStatus;
    n: number;
  }[]) {
    counts[r.status] = r.n;
  }
  return counts;
}
