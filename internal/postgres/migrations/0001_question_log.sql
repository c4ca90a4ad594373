-- The question log (bot.Record): one row per question answered.
-- Times are Unix milliseconds (UTC), as in the SQLite store: at and
-- hour compare the same way in both. text is user text with personal
-- data redacted before it is written; conversation is a keyed hash, never
-- a platform user id; programmes are the initiative ids shown, best
-- first; vote is the one vote on the answer (1 up, -1 down, 0 none): a
-- second vote replaces the first.
CREATE TABLE questions (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	answer_id    TEXT             NOT NULL UNIQUE,
	at           BIGINT           NOT NULL,
	conversation TEXT             NOT NULL,
	channel      TEXT             NOT NULL,
	lang         TEXT             NOT NULL,
	outcome      TEXT             NOT NULL,
	action       TEXT             NOT NULL DEFAULT '',
	text         TEXT             NOT NULL DEFAULT '',
	programmes   TEXT[]           NOT NULL DEFAULT '{}',
	top_score    DOUBLE PRECISION NOT NULL DEFAULT 0,
	vote         SMALLINT         NOT NULL DEFAULT 0 CHECK (vote IN (-1, 0, 1)),
	voted_at     BIGINT
);
-- Reading back newest first, and pruning the oldest.
CREATE INDEX questions_at ON questions (at);
-- The unanswered questions of a time range (grouped by text with a hash
-- aggregate: a text in the index could pass B-tree's size limit).
CREATE INDEX questions_unanswered ON questions (at) WHERE outcome = 'no_match';

-- Counts by the hour, kept in the transaction that writes the rows they
-- count, so the insights read hundreds of rows, not millions. hour is the
-- Unix hour of the question; up and down count the votes on the answers.
CREATE TABLE question_hours (
	hour      BIGINT  NOT NULL,
	outcome   TEXT    NOT NULL,
	channel   TEXT    NOT NULL,
	lang      TEXT    NOT NULL,
	questions INTEGER NOT NULL DEFAULT 0,
	up        INTEGER NOT NULL DEFAULT 0,
	down      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, outcome, channel, lang)
);

CREATE TABLE programme_hours (
	hour      BIGINT  NOT NULL,
	programme TEXT    NOT NULL,
	shown     INTEGER NOT NULL DEFAULT 0,
	first     INTEGER NOT NULL DEFAULT 0,
	up        INTEGER NOT NULL DEFAULT 0,
	down      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour, programme)
);

-- Secrets generated once and shared by every replica (the question log's
-- hash key when LOG_HASH_KEY is unset).
CREATE TABLE secrets (
	name    TEXT   PRIMARY KEY,
	value   BYTEA  NOT NULL,
	created BIGINT NOT NULL
);
