// Package publish puts a new version of the knowledge base live without a
// restart. It reads the knowledge directory (KNOWLEDGE_DIR) into memory
// within limits (size, files, YAML nesting and alias expansion), lints it
// (catalog.Load), builds it (dialog.NewKnowledge) and scores it on the
// built-in development set and on the directory's own regression files
// (eval/*.jsonl); only a version that passes every check is swapped into
// the engine, atomically, so answers under way finish on the version they
// started with. A refused version leaves the running one in place, and the
// reason is logged, kept for the status (/admin/knowledge) and handed to
// Config.OnAttempt.
//
// A reload is asked for by Watch (the directory changed and then stayed
// the same for one poll), by SIGHUP and by POST /admin/reload; reloads run
// one at a time.
package publish
