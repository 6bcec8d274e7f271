/** Callback data of the course rosters, shared by the roster feature and the screens that lead to it. */
import { cbRoute, field } from "../../callback-data.ts";

export const rosterRoutes = {
  /** The page of courses whose rosters the caller may see. */
  list: cbRoute("rst:l", field.id),
  /** One course's roster. */
  course: cbRoute("rst:c", field.id),
  /** One course's roster as a spreadsheet. */
  export: cbRoute("rst:x", field.id),
};
