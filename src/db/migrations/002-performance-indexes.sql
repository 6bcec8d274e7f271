-- Indexes found with `npm run bench` (docs/PERFORMANCE.md) on the full district: 100,000
-- enrolments, 1,000,000 attendance rows. Each one lets a report query read an index alone
-- instead of visiting the table row by row.

-- "Residents educated" (reports/digest.ts) takes the distinct people by enrolment status:
-- covering, so the year's count reads the index in person order, with no table lookups.
CREATE INDEX enrolments_status_person ON enrolments (status, person_id, course_id, created_at);

-- Enrolments and waitlist joins per week: covering, replaces enrolments_created (its prefix).
CREATE INDEX enrolments_created_status ON enrolments (created_at, status);
DROP INDEX enrolments_created;

-- Cancellations per week: only cancelled rows, by when they were cancelled.
CREATE INDEX enrolments_cancelled ON enrolments (cancelled_at) WHERE status = 'cancelled';

-- People present per session (weekly figures, attendance rate): counts index entries only.
CREATE INDEX attendance_present ON attendance (session_id) WHERE status = 'present';
