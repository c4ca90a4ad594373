package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/postgres"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// database is the store the settings choose: PostgreSQL at DATABASE_URL
// (replicas), else SQLite under DATA_DIR.
type database struct {
	log     bot.QuestionLog
	secrets bot.Secrets
	claims  bot.Claims
	// tickets keeps the handoff desk's tickets; listen, on PostgreSQL,
	// hears other replicas' messages for web chat streams.
	tickets handoff.Store
	listen  func(ctx context.Context, heard func(key string)) error
	close   func() error
	// where names it for logs, without secrets.
	where string
}

// migrateTimeout bounds the migrations at start-up; a PostgreSQL that does
// not answer within it is left to the first write.
const migrateTimeout = 10 * time.Second

// openDatabase opens the database for serve. A PostgreSQL that is down is
// no reason not to answer: it is logged, and the question log connects
// and migrates when the database answers. An SQLite file that cannot be
// opened is a mistake in DATA_DIR and stops start-up.
func openDatabase(ctx context.Context, c config, log *slog.Logger) (database, error) {
	if c.DatabaseURL != "" {
		db, err := postgres.New(c.DatabaseURL)
		if err != nil {
			return database{}, err
		}
		mctx, cancel := context.WithTimeout(ctx, migrateTimeout)
		defer cancel()
		if err := db.Migrate(mctx); err != nil {
			log.Warn("database unreachable at start: answers go on, questions are logged once it answers", "database", "postgres", "err", err)
		}
		return database{log: postgres.NewQuestionLog(db), secrets: db, claims: db, tickets: postgres.NewTickets(db), listen: db.Listen, close: db.Close, where: "postgres"}, nil
	}
	db, err := openSQLite(ctx, c.DataDir)
	if err != nil {
		return database{}, fmt.Errorf("%w (set DATA_DIR to a writable directory, or QUESTION_LOG=off and no SLACK_HANDOFF_CHANNEL)", err)
	}
	return database{log: sqlite.NewQuestionLog(db), secrets: db, claims: db, tickets: sqlite.NewTickets(db), close: db.Close, where: "sqlite:" + db.Path()}, nil
}

func openSQLite(ctx context.Context, dir string) (*sqlite.DB, error) {
	return sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName))
}

// openExisting opens the database for reading (insights): PostgreSQL, or
// an SQLite file serve has made; it never creates one.
func openExisting(ctx context.Context, dataDir, databaseURL string) (database, error) {
	if databaseURL != "" {
		db, err := postgres.Open(ctx, databaseURL)
		if err != nil {
			return database{}, err
		}
		return database{log: postgres.NewQuestionLog(db), secrets: db, claims: db, close: db.Close, where: "postgres"}, nil
	}
	path := filepath.Join(dataDir, sqlite.FileName)
	if _, err := os.Stat(path); err != nil {
		return database{}, fmt.Errorf("no question log at %s (supportbot serve makes it; set DATA_DIR or DATABASE_URL to where it is)", path)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return database{}, err
	}
	return database{log: sqlite.NewQuestionLog(db), secrets: db, claims: db, close: db.Close, where: "sqlite:" + path}, nil
}
