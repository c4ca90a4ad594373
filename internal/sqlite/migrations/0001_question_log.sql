-- The question log (bot.Record): one row per question answered.
-- Times are Unix milliseconds (UTC). text is user text with personal data
-- redacted before it is written; conversation is a keyed hash, never a
-- platform user id; programmes is a JSON array of the initiative ids
-- shown, best first; vote is the one vote on the answer (1 up, -1 down,
-- 0 none): a second vote replaces the first.
CREATE TABLE questions (
	id           INTEGER PRIMARY KEY,
	answer_id    TEXT    NOT NULL UNIQUE,
	at           INTEGER NOT NULL,
	conversation TEXT    NOT NULL,
	channel      TEXT    NOT NULL,
	lang         TEXT    NOT NULL,
	outcome      TEXT    NOT NULL,
	action       TEXT    NOT NULL DEFAULT '',
	text         TEXT    NOT NULL DEFAULT '',
	programmes   TEXT    NOT NULL DEFAULT '[]',
	top_score    REAL    NOT NULL DEFAULT 0,
	vote         INTEGER NOT NULL DEFAULT 0 CHECK (vote IN (-1, 0, 1)),
	voted_at     INTEGER
);
-- Reading back newest first, and pruning the oldest.
CREATE INDEX questions_at ON questions (at);
-- The unanswered questions of a time range, grouped by text: only
-- no-match rows are indexed.
CREATE INDEX questions_unanswered ON questions (text, lang, at) WHERE outcome = 'no_match';

-- Counts by the hour, kept in the transaction that writes the rows they
-- count, so the insights read hundreds of rows, not millions. hour is the
-- Unix hour of the question; up and down count the votes on the answers.
CREATE TABLE question_hours (
	hour      INTEGER NOT NULL,
	outcome   TEXT    NOT NULL,
	channel   TEXT    NOT NULL,
	lang      TEXT    NOT NULL,
	questions INTEGER NOT NULL DEFAULT 0,
	up        INTEGER NOT NULL DEFAULT 0,
	down      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, outcome, channel, lang)
) WITHOUT ROWID;

CREATE TABLE programme_hours (
	hour      INTEGER NOT NULL,
	programme TEXT    NOT NULL,
	shown     INTEGER NOT NULL DEFAULT 0,
	first     INTEGER NOT NULL DEFAULT 0,
	up        INTEGER NOT NULL DEFAULT 0,
	down      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, programme)
) WITHOUT ROWID;

-- Secrets generated once and shared by every process of the deployment
-- (the question log's hash key when LOG_HASH_KEY is unset).
CREATE TABLE secrets (
	name    TEXT    PRIMARY KEY,
	value   BLOB    NOT NULL,
	created INTEGER NOT NULL
);
