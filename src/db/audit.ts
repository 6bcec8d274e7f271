import type { Db } from "./connection.ts";
import { preparedFor } from "./connection.ts";

const insertAudit = preparedFor((db: Db) =>
  db.prepare("INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, ?, ?, ?, ?)"),
);

/**
 * Writes one line to the audit log (grants, staff changes, refused forgeries, /forget…).
 * Called inside the transaction of the change it records, so the line and the change commit
 * together. `at` is a Date or an ISO string already taken from the clock.
 */
export function audit(
  db: Db,
  at: Date | string,
  actorId: number | null,
  action: string,
  subject: string | number,
  details: object = {},
): void {
  insertAudit(db).run(
    typeof at === "string" ? at : at.toISOString(),
    actorId,
    action,
    String(subject),
    JSON.stringify(details),
  );
}
