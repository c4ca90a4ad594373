// Package bot is supportbot's domain: the types every other package speaks
// and the contracts between them. An adapter turns a platform event into a
// Question; an Answerer returns an Answer of plain data (text, programme
// cards, contact points, quick-reply suggestions, actions with payloads)
// that the LINE, Slack and web adapters render; Captions are the words of
// a card's fields, one set for every channel. The question log's record,
// its outcomes and votes, and its contracts (QuestionLog, Secrets, and
// Claims for jobs one replica does once) live here too: the log is made of the same questions, answers and actions,
// and the stores, the log and the insights all speak it.
//
// The package holds no behaviour beyond encoding actions and imports no
// other package of the module, no SDK and nothing heavy: the engine that
// answers (internal/dialog), the stores that keep State (internal/inmem,
// internal/redis) and the log (internal/sqlite, internal/postgres), and
// the adapters all depend on it, never the other way.
package bot
