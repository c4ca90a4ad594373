package adapter

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/metrics"
)

// Locales remembers each person's language on a platform (LINE's profile,
// Slack's users.info locale) for bot.Question.Locale: looked up once, when
// the engine first needs it, and kept for a while. It never holds up an
// answer for long: a lookup that takes longer than its wait is given up
// (the answer goes out in the default language), and after a platform
// error lookups pause for everyone, so an outage of the profile API costs
// one wait, not one per person. It is safe for concurrent use.
type Locales struct {
	platform string
	metrics  *metrics.Metrics
	ttl      time.Duration // how long a language is remembered
	wait     time.Duration // how long an answer waits for a lookup
	pause    time.Duration // no lookups for this long after a platform error
	max      int
	now      func() time.Time

	mu      sync.Mutex
	m       map[string]*localeEntry
	pausing time.Time // no lookups before this
}

type localeEntry struct {
	lang  bot.Lang
	until time.Time     // when to look again
	done  chan struct{} // closed once the lookup has ended
}

// Locale tuning. A person's phone language rarely changes; the profile
// calls answer in tens of milliseconds, so the wait is generous while
// still far inside LINE's reply window and Slack's patience.
const (
	LocaleTTL   = 12 * time.Hour
	LocaleWait  = 500 * time.Millisecond
	LocalePause = 10 * time.Second
	// maxLocales bounds the people remembered (about 100 bytes each);
	// past it expired entries are swept, then all are forgotten.
	maxLocales = 100_000
)

// NewLocales returns a cache for platform (for metrics: op "locale" of
// supportbot_outbound_calls_total); now is the clock (nil: time.Now).
func NewLocales(platform string, m *metrics.Metrics, now func() time.Time) *Locales {
	if now == nil {
		now = time.Now
	}
	return &Locales{platform: platform, metrics: m, ttl: LocaleTTL, wait: LocaleWait, pause: LocalePause,
		max: maxLocales, now: now, m: map[string]*localeEntry{}}
}

// SetWait changes how long an answer waits for a lookup (tests).
func (c *Locales) SetWait(d time.Duration) { c.wait = d }

// Fetch looks a person's language up on the platform. It returns "" and
// no error when the platform answered without one (no profile, no
// consent); an error means the platform failed or did not answer in time.
type Fetch func(ctx context.Context) (bot.Lang, error)

// Lookup returns the bot.Question.Locale of the person key ("line:U…",
// "slack:T…:U…"), which asks fetch at most once per LocaleTTL and waits
// for it at most LocaleWait.
func (c *Locales) Lookup(key string, fetch Fetch) func(ctx context.Context) bot.Lang {
	return func(ctx context.Context) bot.Lang { return c.lookup(ctx, key, fetch) }
}

func (c *Locales) lookup(ctx context.Context, key string, fetch Fetch) bot.Lang {
	c.mu.Lock()
	now := c.now()
	if e, ok := c.m[key]; ok && now.Before(e.until) {
		c.mu.Unlock()
		return c.await(ctx, e)
	}
	if now.Before(c.pausing) {
		c.mu.Unlock()
		return ""
	}
	e := &localeEntry{until: now.Add(c.ttl), done: make(chan struct{})}
	c.store(key, e, now)
	c.mu.Unlock()

	fctx, cancel := context.WithTimeout(ctx, c.wait)
	lang, err := fetch(fctx)
	cancel()

	c.mu.Lock()
	if err != nil {
		// Ask again after the pause, and pause everyone's lookups: the
		// platform is failing or slow.
		now := c.now()
		e.lang, e.until = "", now.Add(c.pause)
		c.pausing = now.Add(c.pause)
		c.metrics.Outbound(c.platform, "locale", "error")
	} else {
		e.lang = lang
		c.metrics.Outbound(c.platform, "locale", "ok")
	}
	close(e.done)
	c.mu.Unlock()
	return e.lang
}

// await waits, within the lookup's wait, for a lookup another answer
// started.
func (c *Locales) await(ctx context.Context, e *localeEntry) bot.Lang {
	select {
	case <-e.done:
		return e.lang
	default:
	}
	t := time.NewTimer(c.wait)
	defer t.Stop()
	select {
	case <-e.done:
		return e.lang
	case <-t.C:
	case <-ctx.Done():
	}
	return ""
}

// store adds e, keeping the table within max. Called with mu held.
func (c *Locales) store(key string, e *localeEntry, now time.Time) {
	if len(c.m) >= c.max {
		for k, old := range c.m {
			if !now.Before(old.until) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= c.max {
			clear(c.m)
		}
	}
	c.m[key] = e
}

// Peek returns a person's language if it has been looked up already,
// without looking it up.
func (c *Locales) Peek(key string) bot.Lang {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !c.now().Before(e.until) {
		return ""
	}
	select {
	case <-e.done:
		return e.lang
	default:
		return ""
	}
}

// Len is the number of people remembered.
func (c *Locales) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// LangOf maps a platform's language tag (BCP 47: "ja", "en-US", "zh-TW")
// to a reply language: Japanese for Japanese, English for every other
// language the platform names, since a person whose phone speaks neither
// is likelier to read English than Japanese (and can switch with one
// tap); "" when the tag is empty.
func LangOf(tag string) bot.Lang {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch {
	case tag == "":
		return ""
	case tag == "ja" || strings.HasPrefix(tag, "ja-") || strings.HasPrefix(tag, "ja_"):
		return bot.Japanese
	}
	return bot.English
}
