/**
 * Callback data of the staff screens: the staff menu (`stf:`), managing courses (`crm:`) and
 * choosing a broadcast's audience (`bc:`). Declared with the messages because the weekly digest
 * carries some of these buttons; the bot's staff features match them from here.
 */
import { cbRoute, field } from "../callback-data.ts";

export const staffRoutes = {
  menu: cbRoute("stf:m"),
  summary: cbRoute("stf:sum"),
  digest: cbRoute("stf:dig"),
  report: cbRoute("stf:rep"),
};

/** Managing courses: by course id, session id, or page. */
export const courseAdminRoutes = {
  list: cbRoute("crm:l", field.id),
  course: cbRoute("crm:c", field.id),
  /** Course, new capacity. */
  capacity: cbRoute("crm:k", field.id, field.id),
  /** x closes the course, o reopens it. */
  openClose: cbRoute("crm", field.oneOf("x", "o"), field.id),
  sessions: cbRoute("crm:s", field.id),
  session: cbRoute("crm:ss", field.id),
  cancelSession: cbRoute("crm:sc", field.id),
  cancelSessionYes: cbRoute("crm:scy", field.id),
  moveSession: cbRoute("crm:sm", field.id),
  add: cbRoute("crm:new"),
};

/**
 * A broadcast's audience: news, vol (volunteers), c<courseId> or s<siteId>. `bc:new:<audience>`
 * comes from a course card or the digest, `bc:a:<audience>` from the audience screens.
 */
export const broadcastRoutes = {
  start: cbRoute("bc:new"),
  fromCourse: cbRoute("bc:new", field.word),
  audience: cbRoute("bc:a", field.word),
  /** The page of courses to choose from. */
  courses: cbRoute("bc:pc", field.id),
  sites: cbRoute("bc:ps"),
  /** Send (y) or drop (n) the written broadcast, inside its form. */
  confirm: cbRoute("bc", field.oneOf("y", "n")),
};
