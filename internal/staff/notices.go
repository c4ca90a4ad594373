package staff

import (
	"context"
	"log/slog"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// notice is one queued post.
type notice struct {
	key  string
	post func(ctx context.Context) error
}

// DefaultNotices is how many notices may wait to be posted.
const DefaultNotices = 16

// drainTimeout bounds the posting of notices still queued at shutdown.
const drainTimeout = 5 * time.Second

// Notices posts one-off notices to the staff off the goroutine that has
// something to say (a reload runs on the watcher's, or on an admin's
// request), once across replicas for each key. All replicas watching one
// knowledge directory refuse the same version at about the same time;
// the staff hear of it once. It is safe for concurrent use.
type Notices struct {
	claims bot.Claims
	holder string
	log    *slog.Logger
	now    func() time.Time
	queue  chan notice
}

// NoticesConfig configures Notices.
type NoticesConfig struct {
	// Claims, if set, lets one replica post each key; nil: every
	// process posts its own (one replica, or no database).
	Claims bot.Claims
	// Holder names this replica in Claims (Holder()).
	Holder string
	// Size bounds the queue (default DefaultNotices); a notice beyond it
	// is dropped and logged.
	Size   int
	Logger *slog.Logger
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// NewNotices makes the queue; Run posts what it holds.
func NewNotices(cfg NoticesConfig) *Notices {
	n := &Notices{claims: cfg.Claims, holder: cfg.Holder, log: cfg.Logger, now: cfg.Now}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if n.now == nil {
		n.now = time.Now
	}
	if n.holder == "" {
		n.holder = Holder()
	}
	size := cfg.Size
	if size <= 0 {
		size = DefaultNotices
	}
	n.queue = make(chan notice, size)
	return n
}

// Notify queues post, to be run once across replicas for key, and
// returns at once; false when the queue is full (the notice is dropped
// and logged).
func (n *Notices) Notify(ctx context.Context, key string, post func(ctx context.Context) error) bool {
	select {
	case n.queue <- notice{key: key, post: post}:
		return true
	default:
		n.log.WarnContext(ctx, "staff notice dropped: queue full", "key", key)
		return false
	}
}

// Run posts queued notices until ctx ends, then those still queued
// within a few seconds. It returns nil.
func (n *Notices) Run(ctx context.Context) error {
	for {
		select {
		case nt := <-n.queue:
			n.send(ctx, nt)
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
			defer cancel()
			for {
				select {
				case nt := <-n.queue:
					n.send(dctx, nt)
				default:
					return nil
				}
			}
		}
	}
}

// send claims a notice's key and posts it. A notice whose post fails is
// not tried again: it is logged, and the lease keeps other replicas from
// posting it for a while, then lapses.
func (n *Notices) send(ctx context.Context, nt notice) {
	log := n.log.With("key", nt.key)
	claimed := false
	if n.claims != nil {
		c, err := n.claims.Claim(ctx, "notice:"+nt.key, n.holder, n.now(), DefaultLease)
		switch {
		case err != nil:
			// Better twice than never: post all the same.
			log.WarnContext(ctx, "staff notice: claim failed, posting anyway", "err", err)
		case !c.Held(n.holder):
			log.DebugContext(ctx, "staff notice posted by another replica", "holder", c.Holder)
			return
		default:
			claimed = true
		}
	}
	pctx, cancel := context.WithTimeout(ctx, postTimeout)
	err := nt.post(pctx)
	cancel()
	if err != nil {
		log.WarnContext(ctx, "staff notice not posted", "err", err)
		return
	}
	log.InfoContext(ctx, "staff notice posted")
	if claimed {
		if err := n.claims.Finish(ctx, "notice:"+nt.key, n.holder, n.now()); err != nil {
			log.WarnContext(ctx, "staff notice posted but not marked done", "err", err)
		}
	}
}
