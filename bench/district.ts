/**
 * A deterministic district for the benchmarks: the same seed and scale always give the same rows.
 * Everything is written in one transaction with prepared statements, so the full district
 * (about 1.2 million rows) builds in seconds.
 */
import type { Db } from "../src/db/connection.ts";
import { seededRandom } from "../src/demo/random.ts";

/** The full district; `scale` multiplies every count (0.1 = a tenth). */
export const FULL = {
  sites: 20,
  courses: 500,
  residents: 20_000,
  family: 8_000,
  enrolments: 100_000,
  attendance: 1_000_000,
  volunteers: 2_000,
  feedback: 5_000,
  shifts: 400,
  wishes: 1_000,
  sentOutbox: 50_000,
};

/** "Now" in the district: Monday 30 Nov 2026, 10:00 in Shanghai. */
export const DISTRICT_NOW = "2026-11-30T02:00:00.000Z";
export const TIMEZONE = "Asia/Shanghai";
/** Shanghai has no daylight saving: local = UTC + 8 h. */
const TZ_OFFSET_MS = 8 * 3600_000;
/** The first Monday of the year; course i meets every week from its first weekday after it. */
const YEAR_FIRST_MONDAY = Date.UTC(2026, 0, 5);
const WEEKS = 52;
/** Telegram ids of the district's residents start here (chat id = user id). */
export const USER_BASE = 1_000_000;

/**
 * Course 1 is the reminder probe: it alone meets at 11:07 local, so a one-minute reminder window
 * around that time holds the same due work (its enrolled people) at every scale.
 */
export const PROBE_COURSE_ID = 1;
export const PROBE_LOCAL = { weekday: 0, hour: 11, minute: 7 };

export interface DistrictCounts {
  sites: number;
  courses: number;
  users: number;
  people: number;
  sessions: number;
  enrolments: number;
  attendance: number;
  volunteers: number;
  feedback: number;
  shifts: number;
  wishes: number;
  outbox: number;
  ms: number;
}

const CATEGORIES = [
  "health",
  "language",
  "computer",
  "art",
  "craft",
  "parenting",
  "employment",
  "sport",
  "lecture",
  "etiquette",
  "music",
  "culture",
];
const SLOTS = [
  [9, 0],
  [9, 30],
  [10, 0],
  [14, 0],
  [14, 30],
  [15, 30],
  [19, 0],
  [19, 30],
] as const;

const iso = (ms: number) => new Date(ms).toISOString();
/** UTC instant of a local wall time in week `w` (0-based), weekday 0 = Monday. */
const localAt = (w: number, weekday: number, hour: number, minute: number) =>
  YEAR_FIRST_MONDAY + (w * 7 + weekday) * 86_400_000 + (hour * 60 + minute) * 60_000 - TZ_OFFSET_MS;

/** Builds the district into an empty, migrated database. */
export function buildDistrict(db: Db, options: { scale?: number; seed?: number } = {}): DistrictCounts {
  const started = performance.now();
  const scale = options.scale ?? 1;
  const rand = seededRandom(options.seed ?? 20261130);
  const n = (full: number, min = 1) => Math.max(min, Math.round(full * scale));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const now = Date.parse(DISTRICT_NOW);
  const created = iso(Date.UTC(2025, 11, 1));
  const c = {
    sites: n(FULL.sites, 2),
    courses: n(FULL.courses, 5),
    residents: n(FULL.residents),
    family: n(FULL.family),
    enrolments: n(FULL.enrolments),
    attendance: n(FULL.attendance),
    volunteers: n(FULL.volunteers),
    feedback: n(FULL.feedback),
    shifts: n(FULL.shifts),
    wishes: n(FULL.wishes),
    sentOutbox: n(FULL.sentOutbox),
  };
  const counts: DistrictCounts = {
    sites: 0,
    courses: 0,
    users: 0,
    people: 0,
    sessions: 0,
    enrolments: 0,
    attendance: 0,
    volunteers: 0,
    feedback: 0,
    shifts: 0,
    wishes: 0,
    outbox: 0,
    ms: 0,
  };
  const s = {
    site: db.prepare(
      "INSERT INTO sites (id, code, kind, parent_id, name_zh, name_en, residents) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    venue: db.prepare(
      "INSERT INTO venues (id, code, site_id, name_zh, name_en, capacity) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    user: db.prepare(
      "INSERT INTO users (id, first_name, language_code, locale, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    person: db.prepare(
      "INSERT INTO people (id, account_id, is_self, name, relation, birth_year, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    course: db.prepare(
      `INSERT INTO courses (id, code, kind, category, site_id, venue_id, title_zh, title_en, audiences, capacity,
         teacher_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, 'open', ?, ?)`,
    ),
    session: db.prepare(
      "INSERT INTO sessions (id, course_id, seq, starts_at, ends_at, venue_id, checkin_code) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    enrolment: db.prepare(
      `INSERT INTO enrolments (id, course_id, person_id, account_id, status, waitlist_seq, created_at, updated_at, cancelled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    attendance: db.prepare(
      "INSERT INTO attendance (session_id, person_id, status, source, recorded_at) VALUES (?, ?, ?, ?, ?)",
    ),
    volunteer: db.prepare(
      `INSERT INTO volunteers (user_id, name, skills, availability, status, consent_at, created_at)
       VALUES (?, ?, '["teaching"]', ?, ?, ?, ?)`,
    ),
    shift: db.prepare(
      `INSERT INTO shifts (id, title_zh, title_en, site_id, starts_at, ends_at, needed, status, checkin_code, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'filled', ?, ?)`,
    ),
    assignment: db.prepare(
      `INSERT INTO shift_assignments (shift_id, volunteer_id, status, pinged_at, responded_at, checked_in_at, hours)
       VALUES (?, ?, 'accepted', ?, ?, ?, ?)`,
    ),
    feedback: db.prepare(
      `INSERT INTO feedback (kind, course_id, person_id, account_id, stars, comment, created_at)
       VALUES ('rating', ?, ?, ?, ?, ?, ?)`,
    ),
    wish: db.prepare("INSERT INTO wishes (account_id, topic, created_at) VALUES (?, ?, ?)"),
    outbox: db.prepare(
      `INSERT INTO outbox (key, chat_id, template, params, due_at, state, attempts, sent_at, created_at)
       VALUES (?, ?, 'notify.reminder', '{}', ?, 'sent', 1, ?, ?)`,
    ),
  };

  // A large page cache while building (index inserts), back to the default afterwards.
  const cacheSize = db.pragma("cache_size", { simple: true }) as number;
  db.pragma("cache_size = -262144");
  db.transaction(() => {
    for (let i = 1; i <= c.sites; i++) {
      s.site.run(
        i,
        `S${i}`,
        i === 1 ? "centre" : i <= 12 ? "school" : "partner",
        i === 1 ? null : 1,
        `第${i}社区学校`,
        `Community school ${i}`,
        8000,
      );
      s.venue.run(i, `V${i}`, i, `第${i}教室`, `Room ${i}`, 300);
    }
    counts.sites = c.sites;

    // Residents: user + self person; then family members of the first accounts.
    const accountOf: number[] = [0]; // person id -> account id
    for (let i = 1; i <= c.residents; i++) {
      const uid = USER_BASE + i;
      const zh = rand() < 0.8;
      s.user.run(uid, `居民${i}`, zh ? "zh-hans" : "en", zh ? "zh" : "en", created, created);
      s.person.run(
        i,
        uid,
        1,
        `居民${i}`,
        "self",
        rand() < 0.5 ? null : 1940 + Math.floor(rand() * 60),
        created,
      );
      accountOf.push(uid);
    }
    const relations = ["parent", "child", "spouse", "grandchild"] as const;
    for (let j = 1; j <= c.family; j++) {
      const id = c.residents + j;
      const uid = USER_BASE + 1 + ((j * 7) % c.residents);
      s.person.run(id, uid, 0, `家人${j}`, pick(relations), 1935 + Math.floor(rand() * 85), created);
      accountOf.push(uid);
    }
    const people = c.residents + c.family;
    counts.users = c.residents;
    counts.people = people;

    // Courses with a year of weekly sessions; course 1 is the reminder probe (a slot of its own).
    const perCourse = Math.max(1, Math.floor(c.enrolments / c.courses));
    const attendancePerCourse = Math.floor(c.attendance / c.courses);
    let sessionId = 0;
    let enrolmentId = 0;
    let feedbackLeft = c.feedback;
    // About 80% of enrolments hold a seat; every n-th seat leaves a rating.
    const feedbackEvery = Math.max(1, Math.floor((c.enrolments * 0.8) / c.feedback));
    let seats = 0;
    for (let id = 1; id <= c.courses; id++) {
      const site = 1 + ((id - 1) % c.sites);
      const category = CATEGORIES[(id - 1) % CATEGORIES.length] ?? "health";
      const kind = id % 50 === 0 ? "event" : id % 25 === 0 ? "lecture" : "course";
      const capacity = 120 + Math.floor(rand() * 100);
      s.course.run(
        id,
        `C${id}`,
        kind,
        category,
        site,
        site,
        `课程${id}`,
        `Course ${id}`,
        capacity,
        `老师${id}`,
        created,
        created,
      );
      const [weekday, hour, minute] =
        id === PROBE_COURSE_ID
          ? [PROBE_LOCAL.weekday, PROBE_LOCAL.hour, PROBE_LOCAL.minute]
          : [(id * 3) % 7, ...(SLOTS[id % SLOTS.length] ?? [9, 0])];
      const past: number[] = [];
      for (let w = 0; w < WEEKS; w++) {
        const start = localAt(w, weekday, hour, minute);
        sessionId += 1;
        s.session.run(
          sessionId,
          id,
          w + 1,
          iso(start),
          iso(start + 90 * 60_000),
          site,
          `K${sessionId.toString(36)}`,
        );
        if (start < now) past.push(sessionId);
      }
      counts.sessions += WEEKS;

      // Enrolments: distinct people, in the order they came; seats first, then the waitlist.
      const chosen = new Set<number>();
      while (chosen.size < Math.min(perCourse, people)) chosen.add(1 + Math.floor(rand() * people));
      const enrolled: number[] = [];
      let k = 0;
      let seq = 0;
      for (const person of chosen) {
        enrolmentId += 1;
        const at = iso(Date.UTC(2026, 0, 1) + Math.floor((k / perCourse) * (now - Date.UTC(2026, 0, 1))));
        const cancelled = rand() < 0.05;
        const status = cancelled ? "cancelled" : enrolled.length < capacity ? "enrolled" : "waitlisted";
        const waitSeq = status === "waitlisted" ? ++seq : null;
        s.enrolment.run(
          enrolmentId,
          id,
          person,
          accountOf[person] ?? null,
          status,
          waitSeq,
          at,
          at,
          cancelled ? at : null,
        );
        if (status === "enrolled") enrolled.push(person);
        if (status === "enrolled" && ++seats % feedbackEvery === 0 && feedbackLeft > 0) {
          feedbackLeft -= 1;
          counts.feedback += 1;
          s.feedback.run(
            id,
            person,
            accountOf[person] ?? null,
            1 + Math.floor(rand() * 5),
            rand() < 0.3 ? `评论${enrolmentId}` : null,
            at,
          );
        }
        k += 1;
      }
      counts.enrolments += chosen.size;

      // Attendance: the course's share of the year's rows, spread over its past sessions.
      const quota = Math.min(attendancePerCourse, past.length * enrolled.length);
      // Session by session (the primary key's order), a rotating share of the enrolled each time.
      const perSession = Math.ceil(quota / Math.max(1, past.length));
      for (let a = 0; a < quota; a++) {
        const si = Math.floor(a / perSession);
        const session = past[si] ?? 0;
        const person = enrolled[(si * 7 + (a % perSession)) % enrolled.length] ?? 0;
        const r = rand();
        s.attendance.run(
          session,
          person,
          r < 0.85 ? "present" : r < 0.95 ? "absent" : "excused",
          r < 0.7 ? "checkin" : "staff",
          created,
        );
      }
      counts.attendance += quota;
    }
    counts.courses = c.courses;

    for (let v = 1; v <= c.volunteers; v++) {
      const uid = USER_BASE + v;
      s.volunteer.run(
        uid,
        `居民${v}`,
        Math.floor(rand() * 2 ** 21),
        rand() < 0.9 ? "approved" : "pending",
        created,
        created,
      );
    }
    counts.volunteers = c.volunteers;
    for (let sh = 1; sh <= c.shifts; sh++) {
      const start = localAt(Math.floor((sh / c.shifts) * WEEKS), sh % 7, 9, 0);
      s.shift.run(
        sh,
        `值班${sh}`,
        `Shift ${sh}`,
        1 + (sh % c.sites),
        iso(start),
        iso(start + 3 * 3600_000),
        5,
        `H${sh.toString(36)}`,
        created,
      );
      for (let a = 0; a < Math.min(5, c.volunteers); a++) {
        const vol = USER_BASE + 1 + ((sh * 5 + a) % c.volunteers);
        s.assignment.run(
          sh,
          vol,
          iso(start - 86_400_000),
          iso(start - 80_000_000),
          start < now ? iso(start) : null,
          start < now ? 3 : null,
        );
      }
    }
    counts.shifts = c.shifts;
    for (let w = 1; w <= c.wishes; w++) {
      s.wish.run(
        USER_BASE + 1 + (w % c.residents),
        pick(CATEGORIES),
        iso(Date.UTC(2026, 0, 1) + Math.floor(rand() * (now - Date.UTC(2026, 0, 1)))),
      );
    }
    counts.wishes = c.wishes;
    for (let o = 1; o <= c.sentOutbox; o++) {
      const at = iso(Date.UTC(2026, 0, 1) + Math.floor((o / c.sentOutbox) * (now - Date.UTC(2026, 0, 1))));
      s.outbox.run(`history:${o}`, USER_BASE + 1 + (o % c.residents), at, at, at);
    }
    counts.outbox = c.sentOutbox;
  })();
  db.exec("ANALYZE");
  db.pragma(`cache_size = ${cacheSize}`);
  counts.ms = Math.round(performance.now() - started);
  return counts;
}

let benchCourses = 0;

/**
 * Adds a course for a scenario (the rush, the throughput run) with weekly sessions from `now`
 * on, open for enrolment, and returns its id.
 */
export function addBenchCourse(db: Db, options: { capacity: number; now: string; label: string }): number {
  benchCourses += 1;
  const code = `B-${options.label}-${benchCourses}-${Date.now().toString(36)}`;
  const at = options.now;
  const site = (db.prepare("SELECT min(id) AS id FROM sites").get() as { id: number }).id;
  const id = Number(
    db
      .prepare(
        `INSERT INTO courses (code, category, site_id, venue_id, title_zh, title_en, capacity, status, created_at, updated_at)
         VALUES (?, 'health', ?, ?, ?, ?, ?, 'open', ?, ?)`,
      )
      .run(
        code,
        site,
        site,
        `抢报课程${benchCourses}`,
        `Rush course ${benchCourses}`,
        options.capacity,
        at,
        at,
      ).lastInsertRowid,
  );
  const insert = db.prepare(
    "INSERT INTO sessions (course_id, seq, starts_at, ends_at, venue_id, checkin_code) VALUES (?, ?, ?, ?, ?, ?)",
  );
  // Six days on, 13 minutes past the hour: the people who enrol here are new, so nothing clashes.
  const first = Date.parse(at) + 6 * 86_400_000;
  for (let w = 0; w < 10; w++) {
    const start = first + w * 7 * 86_400_000 + 13 * 60_000;
    insert.run(id, w + 1, iso(start), iso(start + 3600_000), site, `${code}-${w}`);
  }
  return id;
}
