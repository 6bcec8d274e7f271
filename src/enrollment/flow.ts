import type { Db } from "../db/connection.ts";
import type { EnrolPreview, EnrolResult } from "./enrol.ts";
import { enrol, previewEnrolment } from "./enrol.ts";
import type { Participant } from "./family.ts";
import { listParticipants, resolveParticipant } from "./family.ts";
import { q } from "./queries.ts";
import type { TelegramPerson } from "../people/accounts.ts";
import { recordContact } from "../people/accounts.ts";

/** The course facts every enrolment screen shows; plain data, safe to keep in a conversation. */
export interface CourseBrief {
  id: number;
  /** "employment", "health", …: what the reply may offer next (the employer question). */
  category: string;
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
    category: c.category,
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

/** Flags a press carries: what the person already agreed to on earlier screens. */
export interface EnrolFlags {
  consent: boolean;
  acceptClash: boolean;
}

/** The first screen after "Enrol": who it is for (only for accounts with family), else the self step. */
export type EnrolStart =
  | { kind: "noCourse" }
  | { kind: "choose"; course: CourseBrief; people: Participant[] }
  | Extract<EnrolStep, { kind: "preview" }>;

/**
 * What pressing "Enrol" on a card shows. Someone with no family member is asked nothing: the
 * step for themselves comes at once (the confirmation keeps a "someone else" button).
 */
export function startEnrolment(
  db: Db,
  input: { accountId: number; courseId: number; choose?: boolean },
  now: Date,
): EnrolStart {
  const course = courseBrief(db, input.courseId);
  if (!course) return { kind: "noCourse" };
  const people = listParticipants(db, input.accountId);
  const self = people.find((p) => p.isSelf);
  if (input.choose || !self || people.length > 1) return { kind: "choose", course, people };
  const preview = previewEnrolment(
    db,
    { courseId: course.id, personId: self.id, accountId: input.accountId },
    now,
  );
  return { kind: "preview", course, person: self, preview };
}

/** The answer to a confirm press: everything its reply needs, in one call. */
export type EnrolConfirmation =
  | { kind: "noCourse" }
  | { kind: "noPerson" }
  | {
      kind: "done";
      course: CourseBrief;
      person: Participant;
      result: EnrolResult;
      /** The account has family members (the reply may offer "someone else"). */
      hasFamily: boolean;
    };

/**
 * Confirms an enrolment for the participant a button names (`ref` "s" or a person id) and says
 * how it ended. A repeated press finds the enrolment made by the first and answers with it,
 * so the person sees the same result twice, never a weaker one. With `contact` (a visit the
 * caller has seen needs recording, see seeAccount), the account's record of it, first contact
 * included, is written in the same IMMEDIATE transaction, so that a press costs one commit.
 */
export function confirmEnrolment(
  db: Db,
  input: { accountId: number; courseId: number; ref: string; flags: EnrolFlags; contact?: TelegramPerson },
  now: Date,
): EnrolConfirmation {
  const { contact } = input;
  if (!contact) return confirm(db, input, now);
  return db
    .transaction(() => {
      // Whether the account is new does not matter here: the answer is the enrolment's.
      recordContact(db, contact, now, false);
      return confirm(db, input, now);
    })
    .immediate();
}

function confirm(
  db: Db,
  input: { accountId: number; courseId: number; ref: string; flags: EnrolFlags },
  now: Date,
): EnrolConfirmation {
  const person = resolveParticipant(db, input.accountId, input.ref);
  if (!person) return { kind: "noPerson" };
  const result = enrol(
    db,
    {
      courseId: input.courseId,
      personId: person.id,
      accountId: input.accountId,
      consent: input.flags.consent,
      acceptClash: input.flags.acceptClash,
    },
    now,
  );
  const course = courseBrief(db, input.courseId);
  if (!course) return { kind: "noCourse" };
  const hasFamily = listParticipants(db, input.accountId).length > 1;
  return { kind: "done", course, person, result, hasFamily };
}
