// Package sqlite keeps supportbot's database in an SQLite file, embedded
// in the binary (modernc.org/sqlite, pure Go: nothing to install). It is
// the default store; internal/postgres is the one for several replicas.
//
// Open opens the file and applies the versioned migrations embedded under
// migrations/ (NNNN_name.sql, in order, each once) in one IMMEDIATE
// transaction, so two processes starting at once apply them once. The
// contracts live in internal/bot; NewQuestionLog implements
// bot.QuestionLog, and DB implements bot.Secrets and bot.Claims (jobs one
// process of several does once, such as the weekly digest). A later contract (the
// handoff tickets) adds its tables as the next migration and its own
// New… beside NewQuestionLog.
//
// Writes go through one connection in IMMEDIATE transactions (SQLite
// allows one writer; waiting on the file lock inside a deferred
// transaction could fail instead of wait); reads use a pool of their own
// and, with the write-ahead log, never wait for a write.
package sqlite
