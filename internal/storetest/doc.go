// Package storetest is the contract every store of the bot's state keeps,
// as a suite of subtests, in the way testing/fstest.TestFS checks a file
// system: bot.ConversationStore (Conversations) and bot.Deduper (Deduper),
// run by the in-memory and Redis stores; bot.QuestionLog (QuestionLog),
// bot.Secrets (Secrets) and bot.Claims (Claims), run by internal/sqlite
// and internal/postgres, so both keep those contracts the same way.
//
// A store's tests hand the suite a function that makes a store with a
// given expiry and says how to pass its time. A store that reads the time
// from a function is given a FakeClock, which the suite moves on at once;
// a store that keeps time itself (Redis, a database's clock) is slept
// through, so the suite's expiry, TTL, is short:
//
//	func TestContract(t *testing.T) {
//		storetest.Conversations(t, func(t *testing.T, ttl time.Duration) (bot.ConversationStore, func(time.Duration)) {
//			clock := storetest.NewFakeClock()
//			return inmem.NewConversations(ttl, clock.Now), clock.Advance
//		})
//	}
//
//	func TestContract(t *testing.T) {
//		c := client(t) // one server for every subtest
//		storetest.Conversations(t, func(t *testing.T, ttl time.Duration) (bot.ConversationStore, func(time.Duration)) {
//			return redis.NewConversations(c, ttl, 0), time.Sleep
//		})
//	}
//
// The stores made for the subtests may share one backend: every subtest
// keeps to conversation ids and event keys of its own, fresh on every
// run, so a long-lived server (REDIS_URL) or database does no harm. The
// suite does not clean up after itself; the keys expire.
package storetest
