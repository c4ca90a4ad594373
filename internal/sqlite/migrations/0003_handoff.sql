-- Handoff (internal/handoff): tickets, a person's request to talk with
-- the staff, and their messages with the state of each delivery.
-- Times are Unix milliseconds (UTC), 0 for none. conversation is the
-- person's conversation id ("line:U…", "web:…"), where replies go: it is
-- never shown to the staff and never logged. recent is what the
-- conversation said before (JSON: lang, questions, answer), the person's
-- own text, shared with the staff with their consent.
CREATE TABLE handoff_tickets (
	id           INTEGER PRIMARY KEY,
	conversation TEXT    NOT NULL,
	channel      TEXT    NOT NULL,
	lang         TEXT    NOT NULL,
	state        TEXT    NOT NULL CHECK (state IN ('open', 'taken', 'closed')),
	opened_at    INTEGER NOT NULL,
	opens_at     INTEGER NOT NULL DEFAULT 0,
	taken_by     TEXT    NOT NULL DEFAULT '',
	taken_at     INTEGER NOT NULL DEFAULT 0,
	closed_at    INTEGER NOT NULL DEFAULT 0,
	closed_by    TEXT    NOT NULL DEFAULT '',
	closer       TEXT    NOT NULL DEFAULT '',
	rating       INTEGER NOT NULL DEFAULT 0 CHECK (rating IN (-1, 0, 1)),
	recent       TEXT    NOT NULL DEFAULT '{}',
	thread       TEXT    NOT NULL DEFAULT '',
	reminders    INTEGER NOT NULL DEFAULT 0,
	reminded_at  INTEGER NOT NULL DEFAULT 0
);
-- One ticket open (or taken) per person.
CREATE UNIQUE INDEX handoff_tickets_current ON handoff_tickets (conversation) WHERE state <> 'closed';
-- A staff reply finds its ticket by the thread it was written in.
CREATE UNIQUE INDEX handoff_tickets_thread ON handoff_tickets (thread) WHERE thread <> '';
-- A person's tickets, for the web chat's stream.
CREATE INDEX handoff_tickets_conversation ON handoff_tickets (conversation, id);
-- Tickets nobody took, for reminders.
CREATE INDEX handoff_tickets_waiting ON handoff_tickets (opened_at) WHERE state = 'open';

-- side is whom a message is for (staff: the ticket's thread; person: the
-- person's chat). source names where it came from (a Slack ts, a LINE
-- event id), so the same message is kept once per ticket and side. body
-- is the person's words for the staff, or the answer the person gets
-- (JSON). due_at is when a pending message may be claimed: a claim or a
-- retry moves it on. retry_key is sent on every attempt (LINE's
-- X-Line-Retry-Key).
CREATE TABLE handoff_messages (
	id         INTEGER PRIMARY KEY,
	ticket     INTEGER NOT NULL REFERENCES handoff_tickets (id),
	side       TEXT    NOT NULL CHECK (side IN ('staff', 'person')),
	kind       TEXT    NOT NULL,
	source     TEXT    NOT NULL,
	body       TEXT    NOT NULL DEFAULT '',
	by_whom    TEXT    NOT NULL DEFAULT '',
	files      INTEGER NOT NULL DEFAULT 0,
	at         INTEGER NOT NULL,
	state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	due_at     INTEGER NOT NULL DEFAULT 0,
	done_at    INTEGER NOT NULL DEFAULT 0,
	retry_key  TEXT    NOT NULL,
	UNIQUE (ticket, side, source)
);
-- A ticket's messages for one side in order (delivery, the stream).
CREATE INDEX handoff_messages_order ON handoff_messages (ticket, side, id);
-- Messages due, for the sweep.
CREATE INDEX handoff_messages_due ON handoff_messages (due_at) WHERE state = 'pending';
