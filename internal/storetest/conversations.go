package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// TTL is the expiry the suites ask of every store. Stores that keep time
// themselves are slept through it, so it is short; the suites look at a
// store at least a quarter of it away from any expiry, so a busy machine
// (the race detector, CI) does not cross one between two calls.
const TTL = time.Second

// NewConversations makes a store for one subtest whose conversations
// expire ttl after their last save, and returns it with how to pass its
// time: a FakeClock's Advance for a store given that clock's Now, or
// time.Sleep for a store that keeps time itself.
type NewConversations func(t *testing.T, ttl time.Duration) (store bot.ConversationStore, pass func(time.Duration))

// Conversations checks that stores made by newStore keep the contract of
// bot.ConversationStore:
//
//   - Load of a conversation never saved is bot.ErrNoState;
//   - Save then Load gives back every field of bot.State, and the caller
//     owns what it saved and what it loaded (changing either changes
//     nothing stored);
//   - a Save replaces the whole state, fields it leaves zero included;
//   - after Delete, Load is bot.ErrNoState; deleting an unknown
//     conversation is no error;
//   - a conversation expires TTL after its last save, and each save
//     restarts that;
//   - conversations are apart, even when one id is a prefix of another;
//   - concurrent use, from many goroutines on the same and on different
//     conversations, loses no save and mixes no two states (run it with
//     -race);
//   - with a context already cancelled, a call succeeds as with a live
//     one or fails with an error wrapping context.Canceled and leaves the
//     store as it was; a Load never reports bot.ErrNoState for it.
func Conversations(t *testing.T, newStore NewConversations) {
	t.Helper()
	checkFull(t)
	ctx := context.Background()

	t.Run("UnknownIsNoState", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		if _, err := s.Load(ctx, conversation(t, "never-saved")); !errors.Is(err, bot.ErrNoState) {
			t.Errorf("Load(never saved) = %v; want bot.ErrNoState", err)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		conv := conversation(t, "a")
		save(t, s, conv, full())
		wantState(t, s, conv, full())
	})

	t.Run("CallerOwnsState", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		conv := conversation(t, "a")
		saved := full()
		save(t, s, conv, saved)
		saved.Results[0] = "changed after Save"
		loaded := wantState(t, s, conv, full())
		loaded.Results[0] = "changed after Load"
		wantState(t, s, conv, full())
	})

	t.Run("SaveReplacesTheWholeState", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		conv := conversation(t, "a")
		save(t, s, conv, full())
		sparse := bot.State{Lang: bot.Japanese}
		save(t, s, conv, sparse)
		wantState(t, s, conv, sparse)
	})

	t.Run("Delete", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		conv := conversation(t, "a")
		save(t, s, conv, full())
		for i := range 2 {
			if err := s.Delete(ctx, conv); err != nil {
				t.Errorf("Delete #%d = %v; want nil", i+1, err)
			}
			wantNoState(t, s, conv)
		}
		if err := s.Delete(ctx, conversation(t, "never-saved")); err != nil {
			t.Errorf("Delete(never saved) = %v; want nil", err)
		}
	})

	t.Run("ConversationsAreApart", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		// Ids that are prefixes of one another, differ in case only, or
		// carry characters a key scheme might trip on.
		ids := []string{"line:U1", "line:U10", "line:u1", "slack:T1:C1:1700000000.000100", "web:会話 1/2?*"}
		for i, id := range ids {
			save(t, s, conversation(t, id), numbered(i))
		}
		if err := s.Delete(ctx, conversation(t, ids[0])); err != nil {
			t.Fatal(err)
		}
		wantNoState(t, s, conversation(t, ids[0]))
		for i, id := range ids[1:] {
			wantState(t, s, conversation(t, id), numbered(i+1))
		}
	})

	t.Run("Expiry", func(t *testing.T) {
		// The two sleep through several TTLs: side by side.
		t.Run("AfterTTL", func(t *testing.T) {
			t.Parallel()
			s, pass := newStore(t, TTL)
			checkExpiry(t, pass, func(t *testing.T, attempt int, tl *timeline) bool {
				conv := conversation(t, fmt.Sprint("a", attempt))
				saved := tl.mark()
				save(t, s, conv, full())
				tl.advance(TTL / 2)
				if !kept(t, s, conv, full(), tl, saved) {
					return false
				}
				tl.advance(2 * TTL) // past the TTL even if Load counted as use
				wantNoState(t, s, conv)
				return true
			})
		})
		t.Run("SaveRestartsTTL", func(t *testing.T) {
			t.Parallel()
			s, pass := newStore(t, TTL)
			checkExpiry(t, pass, func(t *testing.T, attempt int, tl *timeline) bool {
				conv := conversation(t, fmt.Sprint("a", attempt))
				save(t, s, conv, full())
				tl.advance(TTL * 7 / 10)
				saved := tl.mark()
				save(t, s, conv, numbered(1))
				tl.advance(TTL * 7 / 10) // past the first save's expiry, not the second's
				if !kept(t, s, conv, numbered(1), tl, saved) {
					return false
				}
				tl.advance(TTL * 3 / 2)
				wantNoState(t, s, conv)
				return true
			})
		})
	})

	t.Run("Concurrent", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		shared := conversation(t, "shared")
		const workers, rounds = 8, 25
		var wg sync.WaitGroup
		var failed atomic.Bool
		for w := range workers {
			wg.Go(func() {
				own := conversation(t, fmt.Sprint("own-", w))
				for r := range rounds {
					st := tagged(fmt.Sprintf("%d.%d", w, r))
					if err := s.Save(ctx, own, st); err != nil {
						t.Errorf("Save(own) = %v", err)
						failed.Store(true)
						return
					}
					if got, err := s.Load(ctx, own); err != nil || !same(got, st) {
						t.Errorf("Load(own) right after Save = %+v, %v; want %+v", got, err, st)
						failed.Store(true)
						return
					}
					if err := s.Save(ctx, shared, st); err != nil {
						t.Errorf("Save(shared) = %v", err)
						failed.Store(true)
						return
					}
					if got, err := s.Load(ctx, shared); err != nil || !whole(got) {
						t.Errorf("Load(shared) = %+v, %v; want one whole state of those saved", got, err)
						failed.Store(true)
						return
					}
					if r%5 == 4 {
						if err := s.Delete(ctx, own); err != nil {
							t.Errorf("Delete(own) = %v", err)
							failed.Store(true)
							return
						}
						if _, err := s.Load(ctx, own); !errors.Is(err, bot.ErrNoState) {
							t.Errorf("Load(own) right after Delete = %v; want bot.ErrNoState", err)
							failed.Store(true)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		if failed.Load() {
			return
		}
		for w := range workers {
			// The last round (24) deleted its own conversation.
			wantNoState(t, s, conversation(t, fmt.Sprint("own-", w)))
		}
		if got, err := s.Load(ctx, shared); err != nil || !whole(got) {
			t.Errorf("Load(shared) after the goroutines = %+v, %v; want one whole state of those saved", got, err)
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		s, _ := newStore(t, TTL)
		conv := conversation(t, "a")
		stored := full()
		save(t, s, conv, stored)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()

		switch got, err := s.Load(cancelled, conv); {
		case errors.Is(err, bot.ErrNoState):
			t.Errorf("Load with a cancelled context = %v; want the state or context.Canceled, not bot.ErrNoState (the bot would forget the conversation)", err)
		case err == nil && !same(got, stored):
			t.Errorf("Load with a cancelled context = %+v; want %+v", got, stored)
		case err != nil && !errors.Is(err, context.Canceled):
			t.Errorf("Load with a cancelled context = %v; want nil or an error wrapping context.Canceled", err)
		}

		next := numbered(1)
		switch err := s.Save(cancelled, conv, next); {
		case err == nil:
			stored = next
		case !errors.Is(err, context.Canceled):
			t.Errorf("Save with a cancelled context = %v; want nil or an error wrapping context.Canceled", err)
		}
		wantState(t, s, conv, stored)

		switch err := s.Delete(cancelled, conv); {
		case err == nil:
			wantNoState(t, s, conv)
		case errors.Is(err, context.Canceled):
			wantState(t, s, conv, stored)
		default:
			t.Errorf("Delete with a cancelled context = %v; want nil or an error wrapping context.Canceled", err)
		}
	})
}

// full is a state with every field set, so a store that drops a field
// fails the round trip.
func full() bot.State {
	return bot.State{
		Lang:       bot.English,
		LangChosen: true,
		Results:    []string{"sechack365", "security-camp", "ctf-for-girls"},
		Shown:      2,
		Offset:     1,
		Last:       "security-camp",
		Asked:      "学校で何かできる？",
		Recent:     []string{"子どものスマホが心配", "学校で何かできる？"},
		Answered:   "ご質問に合いそうな取組が2件あります。\n1. セキュリティ・キャンプ",
	}
}

// checkFull fails the suite when bot.State has gained a field that full
// leaves zero: the round trip would not see a store forget it.
func checkFull(t *testing.T) {
	t.Helper()
	v := reflect.ValueOf(full())
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("storetest: bot.State.%s is zero in full(); give it a value so that every store is checked to keep it", v.Type().Field(i).Name)
		}
	}
}

// numbered is a state told apart by n.
func numbered(n int) bot.State {
	id := fmt.Sprint("initiative-", n)
	return bot.State{Lang: bot.Japanese, Results: []string{id}, Shown: 1, Last: id}
}

// tagged is a state whose fields all carry tag, so that a state mixed from
// two saves shows (whole).
func tagged(tag string) bot.State {
	return bot.State{Lang: bot.English, Results: []string{tag, tag}, Shown: 2, Offset: 1, Last: tag}
}

// whole reports whether s is a state tagged made, not a mix of two.
func whole(s bot.State) bool { return s.Last != "" && same(s, tagged(s.Last)) }

// same compares states, an empty Results equal to a nil one (JSON and SQL
// stores cannot tell them apart, and the bot does not).
func same(a, b bot.State) bool {
	if len(a.Results) == 0 && len(b.Results) == 0 {
		a.Results, b.Results = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// conversation is a conversation id of the calling subtest's own, fresh
// on every run: stores of one backend, and runs against one long-lived
// server, do not see each other's.
func conversation(t *testing.T, name string) string {
	return fmt.Sprintf("storetest:%s:%s:%s", runID, t.Name(), name)
}

// runID tells this process's keys from those of earlier runs.
var runID = fmt.Sprintf("%x", time.Now().UnixNano())

func save(t *testing.T, s bot.ConversationStore, conv string, st bot.State) {
	t.Helper()
	if err := s.Save(context.Background(), conv, st); err != nil {
		t.Fatalf("Save(%q) = %v", conv, err)
	}
}

// wantState checks that conv holds want, and returns what Load gave.
func wantState(t *testing.T, s bot.ConversationStore, conv string, want bot.State) bot.State {
	t.Helper()
	got, err := s.Load(context.Background(), conv)
	if err != nil || !same(got, want) {
		t.Errorf("Load(%q) = %+v, %v; want %+v", conv, got, err, want)
	}
	return got
}

// kept checks that conv still holds want, saved at mark saved, as it must
// while less than TTL has passed since. It reports false, having checked
// nothing, when TTL has passed (see checkExpiry).
func kept(t *testing.T, s bot.ConversationStore, conv string, want bot.State, tl *timeline, saved mark) bool {
	t.Helper()
	got, err := s.Load(context.Background(), conv)
	if tl.since(saved) >= TTL {
		return false
	}
	if err != nil || !same(got, want) {
		t.Errorf("Load(%q) = %+v, %v before the TTL; want %+v", conv, got, err, want)
	}
	return true
}

func wantNoState(t *testing.T, s bot.ConversationStore, conv string) {
	t.Helper()
	if got, err := s.Load(context.Background(), conv); !errors.Is(err, bot.ErrNoState) {
		t.Errorf("Load(%q) = %+v, %v; want bot.ErrNoState", conv, got, err)
	}
}
