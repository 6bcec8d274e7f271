import type { Db } from "../db/connection.ts";
import type { EnrolPreview } from "./enrol.ts";
import { previewEnrolment } from "./enrol.ts";
import type { Participant } from "./family.ts";
import { listParticipants, resolveParticipant } from "./family.ts";
import { q } from "./queries.ts";

/** The course facts every enrolment screen shows; plain data, safe to keep in a conversation. */
export interface CourseBrief {
  id: number;
  titleZh: string;
  titleEn: string;
  minAge: number | null;
  maxAge: number | null;
  opensAt: string | null;
}

/** One screen of the enrolment flow, as data: the bot layer turns it into a message. */
export type EnrolStep =
  | { kind: "noCourse" }
  | { kind: "noPerson"; course: CourseBrief }
  | { kind: "preview"; course: CourseBrief; person: Participant; preview: EnrolPreview };

/** The course's title and limits, or undefined. */
export function courseBrief(db: Db, courseId: number): CourseBrief | undefined {
  const c = q(db).course.get(courseId);
  if (!c) return undefined;
  return {
    id: c.id,
    titleZh: c.title_zh,
    titleEn: c.title_en,
    minAge: c.min_age,
    maxAge: c.max_age,
    opensAt: c.enrol_opens_at,
  };
}

/** The participant choice: the course and everyone the account may enrol. */
export function participantChoice(
  db: Db,
  accountId: number,
  courseId: number,
): { course: CourseBrief; people: Participant[] } | undefined {
  const course = courseBrief(db, courseId);
  if (!course) return undefined;
  return { course, people: listParticipants(db, accountId) };
}

/**
 * What the flow shows once a participant is chosen (`ref` is "s" or a person id): the first
 * rule in the way (clash, consent, phone, …) or the confirmation. Writes nothing.
 */
export function enrolmentStep(
  db: Db,
  input: { accountId: number; courseId: number; ref: string; consent: boolean; acceptClash: boolean },
  now: Date,
): EnrolStep {
  const course = courseBrief(db, input.courseId);
  if (!course) return { kind: "noCourse" };
  const person = resolveParticipant(db, input.accountId, input.ref);
  if (!person) return { kind: "noPerson", course };
  const preview = previewEnrolment(
    db,
    {
      courseId: course.id,
      personId: person.id,
      accountId: input.accountId,
      consent: input.consent,
      acceptClash: input.acceptClash,
    },
    now,
  );
  return { kind: "preview", course, person, preview };
}
