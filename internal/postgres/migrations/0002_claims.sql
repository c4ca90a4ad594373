-- Jobs that one of several processes must do once (bot.Claims): the weekly
-- digest to the staff is claimed here per week, and the post about a
-- refused knowledge version per version. The first claim of a name
-- wins a lease until lease_until (Unix milliseconds); a holder that has
-- not finished by then (it crashed) loses the job to the next claim.
-- done_at is set once the job is done, and then the name is never handed
-- out again. Rows are tiny and few (about one a week): they are kept as a
-- record of what was done.
CREATE TABLE claims (
	name        TEXT    PRIMARY KEY,
	holder      TEXT    NOT NULL,
	lease_until BIGINT  NOT NULL,
	claimed_at  BIGINT  NOT NULL,
	done_at     BIGINT
);
