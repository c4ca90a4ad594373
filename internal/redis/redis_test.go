package redis_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/redis"
	"github.com/supportbot/supportbot/internal/redis/redistest"
	"github.com/supportbot/supportbot/internal/storetest"
)

// startRedis is a redis-server of the test's own, REDIS_URL's, or a skip.
func startRedis(t *testing.T) *redistest.Server { return redistest.Start(t) }

func client(t *testing.T, url string) *goredis.Client {
	t.Helper()
	c, err := redis.NewClient(url, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func newBot(t *testing.T, store bot.ConversationStore) *dialog.Engine {
	t.Helper()
	return dialogtest.WithStore(t, store)
}

func TestNewClientHidesPassword(t *testing.T) {
	_, err := redis.NewClient("redis://:hunter2@host:notaport/%zz", 0)
	if err == nil {
		t.Fatal("NewClient accepted a bad URL")
	}
	if s := err.Error(); strings.Contains(s, "hunter2") {
		t.Errorf("error %q shows the password", s)
	}
}

func TestConversationsContract(t *testing.T) {
	c := client(t, startRedis(t).URL)
	storetest.Conversations(t, func(t *testing.T, ttl time.Duration) (bot.ConversationStore, func(time.Duration)) {
		return redis.NewConversations(c, ttl, 0), time.Sleep
	})
}

func TestDeduperContract(t *testing.T) {
	c := client(t, startRedis(t).URL)
	storetest.Deduper(t, func(t *testing.T, window time.Duration) (bot.Deduper, func(time.Duration)) {
		return redis.NewDeduper(c, window, 0), time.Sleep
	})
}

// TestKeysHideIDsAndExpire: a conversation's key does not show its id
// (a platform user id) and carries the store's TTL.
func TestKeysHideIDsAndExpire(t *testing.T) {
	c := client(t, startRedis(t).URL)
	ctx := context.Background()
	s := redis.NewConversations(c, time.Minute, 0)
	conv := fmt.Sprintf("line:U%d", time.Now().UnixNano())
	if err := s.Save(ctx, conv, bot.State{Lang: bot.English, Results: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	keys, _ := c.Keys(ctx, "supportbot:conv:*").Result()
	var found bool
	for _, k := range keys {
		if strings.Contains(k, conv) {
			t.Errorf("key %q contains the raw conversation id", k)
		}
		if ttl := c.TTL(ctx, k).Val(); ttl > 0 && ttl <= time.Minute {
			found = true
		}
	}
	if !found {
		t.Errorf("no conversation key with a TTL ≤ 1m among %q", keys)
	}
}

// TestDeduperAcrossReplicas: replicas racing on one event id answer it
// exactly once.
func TestDeduperAcrossReplicas(t *testing.T) {
	srv := startRedis(t)
	replicas := []*redis.Deduper{
		redis.NewDeduper(client(t, srv.URL), time.Minute, 0),
		redis.NewDeduper(client(t, srv.URL), time.Minute, 0),
	}
	for round := range 20 {
		key := fmt.Sprintf("line:event:%d:%d", time.Now().UnixNano(), round)
		var first atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				ok, err := replicas[i%2].FirstSeen(context.Background(), key)
				if err != nil {
					t.Error(err)
				}
				if ok {
					first.Add(1)
				}
			})
		}
		wg.Wait()
		if n := first.Load(); n != 1 {
			t.Fatalf("round %d: %d replicas saw the event first; want exactly 1", round, n)
		}
	}
}

// TestBotsShareConversation: a follow-up on one replica continues a
// question asked on the other.
func TestBotsShareConversation(t *testing.T) {
	srv := startRedis(t)
	a := newBot(t, redis.NewConversations(client(t, srv.URL), time.Minute, 0))
	b := newBot(t, redis.NewConversations(client(t, srv.URL), time.Minute, 0))
	ctx := context.Background()
	conv := fmt.Sprintf("web:shared%d", time.Now().UnixNano())
	first, err := a.Answer(ctx, bot.Question{Conversation: conv, Text: "中小企業向けの支援", Channel: "web"})
	if err != nil || !first.HasMore() {
		t.Fatalf("replica A: %v, %d of %d cards; want a first page with more", err, len(first.Cards), first.Total)
	}
	more, err := b.Answer(ctx, bot.Question{Conversation: conv, Action: &bot.Action{Kind: bot.ActionMore}, Channel: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if more.Offset != len(first.Cards) || len(more.Cards) == 0 || more.Cards[0].ID == first.Cards[0].ID {
		t.Fatalf("replica B's more: offset %d, %d cards; want the page after A's %d", more.Offset, len(more.Cards), len(first.Cards))
	}
	// Cards are numbered across pages: B's first card is number Offset+1.
	n := fmt.Sprint(more.Offset + 1)
	det, _ := a.Answer(ctx, bot.Question{Conversation: conv, Text: n, Channel: "web"})
	if det.Kind != bot.KindDetails || det.Cards[0].ID != more.Cards[0].ID {
		t.Errorf("replica A's %q opened %s %v; want details of B's first card %s", n, det.Kind, det.Cards, more.Cards[0].ID)
	}
}

// TestOutage stops Redis mid-conversation: answers go on without state,
// de-duplication falls back to memory, readiness reports it, nothing
// waits for timeouts; when Redis returns, sharing resumes.
func TestOutage(t *testing.T) {
	srv := startRedis(t)
	srv.Stoppable(t)
	c := client(t, srv.URL)
	br := redis.NewBreaker(nil, 200*time.Millisecond)
	store := br.Conversations(redis.NewConversations(c, time.Minute, 200*time.Millisecond))
	local := inmem.NewDeduper(time.Minute, nil)
	dedupe := br.Deduper(redis.NewDeduper(c, time.Minute, 200*time.Millisecond), local)
	ready := br.Check(c, 200*time.Millisecond)
	b := newBot(t, store)
	ctx := context.Background()
	conv := "web:outagesession0001"

	if _, err := b.Answer(ctx, bot.Question{Conversation: conv, Text: "中小企業向けの支援"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := dedupe.FirstSeen(ctx, "evt-before"); !ok {
		t.Fatal("first event not first")
	}
	if err := ready(ctx); err != nil {
		t.Fatalf("ready with Redis up: %v", err)
	}

	srv.Stop()

	start := time.Now()
	for i := range 20 {
		a, err := b.Answer(ctx, bot.Question{Conversation: conv, Text: "中小企業向けの支援"})
		if err != nil || len(a.Cards) == 0 {
			t.Fatalf("answer %d during outage: %v, %d cards; want programmes", i, err, len(a.Cards))
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("20 answers during the outage took %v; the breaker should skip Redis", d)
	}
	more, _ := b.Answer(ctx, bot.Question{Conversation: conv, Action: &bot.Action{Kind: bot.ActionMore}})
	if len(more.Cards) != 0 {
		t.Errorf("more during the outage showed %d cards; want a fresh conversation (no state)", len(more.Cards))
	}
	if br.Up() {
		t.Error("breaker reports Redis up during the outage")
	}
	if err := ready(ctx); err == nil {
		t.Error("ready during the outage = nil; want an error")
	}
	if ok, err := dedupe.FirstSeen(ctx, "evt-during"); !ok || err != nil {
		t.Errorf("new event during outage: first=%v err=%v; want first, no error", ok, err)
	}
	if ok, _ := dedupe.FirstSeen(ctx, "evt-during"); ok {
		t.Error("repeated event during outage seen as first; want the local fallback to catch it")
	}
	if ok, _ := dedupe.FirstSeen(ctx, "evt-before"); ok {
		t.Error("event seen before the outage counted as first; want the local copy to remember it")
	}

	srv.Restart(t)
	if err := ready(ctx); err != nil {
		t.Fatalf("ready after Redis returned: %v", err)
	}
	if !br.Up() {
		t.Error("breaker still down after a successful ping")
	}
	first, _ := b.Answer(ctx, bot.Question{Conversation: conv, Text: "中小企業向けの支援"})
	other := newBot(t, redis.NewConversations(c, time.Minute, 0))
	more, _ = other.Answer(ctx, bot.Question{Conversation: conv, Action: &bot.Action{Kind: bot.ActionMore}})
	if len(more.Cards) == 0 || more.Offset != len(first.Cards) {
		t.Errorf("after recovery, more on another replica: offset %d, %d cards; want shared state again", more.Offset, len(more.Cards))
	}
}
