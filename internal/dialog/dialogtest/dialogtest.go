// Package dialogtest builds the dialog engine over the knowledge base that
// ships with supportbot, for tests of the engine and of everything that
// carries its answers (adapters, server, stores, evaluation). The catalog
// is loaded once per test binary; each engine is new, with its own state.
package dialogtest

import (
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

var (
	once   sync.Once
	cat    *catalog.Catalog
	catErr error
)

// Catalog returns the shipped knowledge base, loaded and validated once.
func Catalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	once.Do(func() { cat, catErr = catalog.Load(knowledge.FS, seeds.FS) })
	if catErr != nil {
		t.Fatalf("load the shipped knowledge base: %v", catErr)
	}
	return cat
}

// New returns an engine over the shipped knowledge base that remembers
// conversations in memory for an hour.
func New(t testing.TB) *dialog.Engine {
	t.Helper()
	return WithStore(t, inmem.NewConversations(time.Hour, nil))
}

// WithStore returns an engine over the shipped knowledge base that keeps
// conversation state in store; nil makes every turn stand alone.
func WithStore(t testing.TB, store bot.ConversationStore) *dialog.Engine {
	t.Helper()
	e, err := dialog.New(dialog.Config{Catalog: Catalog(t), Store: store})
	if err != nil {
		t.Fatalf("dialog.New: %v", err)
	}
	return e
}

// Knowledge returns the shipped knowledge base made ready to answer from
// (its analyser and index), for tests that read questions as the engine
// does.
func Knowledge(t testing.TB) *dialog.Knowledge {
	t.Helper()
	k, err := dialog.NewKnowledge(Catalog(t))
	if err != nil {
		t.Fatalf("dialog.NewKnowledge: %v", err)
	}
	return k
}

// LoadQuestions are cmd/loadgen's questions (its test holds the two
// lists equal): what the engine answers, and the adapters render, under
// load, for the benchmarks that measure that work.
var LoadQuestions = []string{
	"中小企業向けの支援",
	"従業員5人でIT担当いないんだけど何からやればいい？",
	"子どものスマホが心配",
	"CTFに参加したい",
	"学校で出前授業をしてほしい",
	"詐欺にあったかもしれない",
	"地域でセキュリティの勉強会を開きたい",
	"support for small businesses",
	"free security training for teachers at our school",
	"my kid got a scam message on their phone",
	"how can students join a security contest",
	"help",
}
