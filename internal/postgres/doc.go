// Package postgres keeps supportbot's database in PostgreSQL (pgx), for
// several replicas sharing one database. It is chosen when DATABASE_URL is
// set; internal/sqlite is the default.
//
// New makes a pool without connecting, so a database that is down does
// not stop a replica from starting; Migrate (or the first call that needs
// the schema) applies the versioned migrations embedded under migrations/
// (NNNN_name.sql, in order, each once) in one transaction that first
// takes a transaction-scoped advisory lock, so replicas starting at once
// apply them once: the others wait, then find them applied. Open is New
// and Migrate. The
// contracts live in internal/bot; NewQuestionLog implements
// bot.QuestionLog, and DB implements bot.Secrets and bot.Claims (jobs one
// replica of several does once, such as the weekly digest). A later contract (the
// handoff tickets) adds its tables as the next migration and its own
// New… beside NewQuestionLog.
package postgres
