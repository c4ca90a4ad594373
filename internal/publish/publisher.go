package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/dialog"
)

// Trigger says what asked for a reload.
type Trigger string

// The triggers.
const (
	TriggerStart  Trigger = "start"  // the first load, at start-up
	TriggerWatch  Trigger = "watch"  // Watch saw the directory change
	TriggerSignal Trigger = "signal" // SIGHUP
	TriggerAdmin  Trigger = "admin"  // POST /admin/reload
)

// Result is how a reload ended.
type Result string

// The results.
const (
	ResultOK        Result = "ok"        // the new version is live
	ResultUnchanged Result = "unchanged" // the directory holds the running version
	ResultRefused   Result = "refused"   // a check refused it; the running version stays
	ResultCanceled  Result = "canceled"  // stopped by shutdown; the running version stays
)

// BuiltinSource is the Source of the knowledge embedded in the binary.
const BuiltinSource = "embedded"

// ErrNoDirectory is returned by Reload when there is no KNOWLEDGE_DIR: the
// embedded knowledge never changes.
var ErrNoDirectory = errors.New("publish: no knowledge directory (KNOWLEDGE_DIR) to reload")

// Config configures a Publisher.
type Config struct {
	// Dir is the knowledge directory (KNOWLEDGE_DIR). Empty: Builtin,
	// which never changes.
	Dir string
	// Builtin is the knowledge embedded in the binary. It answers when
	// Dir is empty, and while Dir exists but holds no file yet (a
	// Kubernetes ConfigMap that is optional and not created yet).
	Builtin fs.FS
	// Seeds are the seed documents every version is linted against.
	Seeds fs.FS
	// Engine configures the engine that answers (state store, logger);
	// its Catalog and Knowledge are the publisher's to set.
	Engine dialog.Config
	// Limits bound a directory; zero fields take DefaultLimits.
	Limits Limits
	// Poll is how often Watch looks at Dir; 0 turns watching off.
	Poll time.Duration
	// Logger receives a line per reload; nil discards.
	Logger *slog.Logger
	// OnAttempt, if set, is called after every reload (not the first
	// load) with its outcome, once the outcome is in Status: metrics, and
	// a post to the staff's Slack channel. It runs on the goroutine that
	// asked for the reload and must not block for long.
	OnAttempt func(context.Context, Attempt)
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// Attempt is the outcome of one reload.
type Attempt struct {
	Result  Result
	Trigger Trigger
	// Version is the content hash of the directory read ("" when it
	// could not be read); Running is the version answering after it.
	Version, Running string
	// Check and Reason say why a version was refused: the check, and
	// lines for people (lint problems with file:line, scores under the
	// floor with the file).
	Check  Check
	Reason string
	At     time.Time
	Took   time.Duration
	// Scores are the new version's, on every regression file it was
	// scored on.
	Scores []FileScore
}

// Version describes the version that answers.
type Version struct {
	ID          string // content hash (Snapshot.Version)
	Source      string // the directory it was read from, or BuiltinSource
	LoadedAt    time.Time
	Trigger     Trigger
	Initiatives int
	Scores      []FileScore
}

// Status is what the publisher knows: the live version, the last reload
// and the last one refused.
type Status struct {
	Live Version
	// Dir is KNOWLEDGE_DIR ("" when unset); Poll, how often it is
	// watched (0: not watched).
	Dir         string
	Poll        time.Duration
	LastAttempt *Attempt
	LastRefused *Attempt
	// Reloads counts reloads by result since start-up.
	Reloads map[Result]int
}

// Publisher owns the engine's knowledge: it loads the first version,
// builds the engine over it and swaps in every later version that passes
// the checks. It is safe for concurrent use.
type Publisher struct {
	cfg    Config
	lim    Limits
	log    *slog.Logger
	now    func() time.Time
	engine *dialog.Engine

	reload sync.Mutex // one reload at a time; guards live
	live   *candidate

	mu     sync.Mutex // guards status, read without waiting for a reload
	status Status

	sig string // the directory's signature as last seen (Watch's only)
}

// Open loads the first version and builds the engine over it. A directory
// is held to the same checks as a reload, except that with no running
// version to compare with its regression files are only read and scored.
// A directory that exists but holds no file yet serves Builtin until it
// has some. Any other failure is returned: the server does not start on a
// version it would refuse.
func Open(ctx context.Context, cfg Config) (*Publisher, error) {
	p := &Publisher{cfg: cfg, lim: cfg.Limits.orDefault(), log: cfg.Logger, now: cfg.Now}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.now == nil {
		p.now = time.Now
	}
	start := p.now()
	source, fsys := BuiltinSource, cfg.Builtin
	if cfg.Dir != "" {
		info, err := os.Stat(cfg.Dir)
		if err != nil {
			return nil, fmt.Errorf("publish: knowledge directory: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("publish: knowledge directory %s is not a directory", cfg.Dir)
		}
		root, err := os.OpenRoot(cfg.Dir)
		if err != nil {
			return nil, fmt.Errorf("publish: knowledge directory: %w", err)
		}
		defer root.Close()
		if p.sig, err = signature(root.FS(), p.lim); err != nil {
			return nil, fmt.Errorf("publish: knowledge directory: %w", err)
		}
		source, fsys = cfg.Dir, root.FS()
	}
	snap, err := p.read(fsys)
	if err != nil {
		return nil, fmt.Errorf("publish: knowledge %s: %w", source, err)
	}
	if snap.Len() == 0 && cfg.Dir != "" {
		p.log.WarnContext(ctx, "knowledge directory is empty: answering from the embedded knowledge until it has files", "dir", cfg.Dir)
		if snap, err = p.read(cfg.Builtin); err != nil {
			return nil, fmt.Errorf("publish: knowledge %s: %w", BuiltinSource, err)
		}
		source = BuiltinSource
	}
	c, err := check(ctx, snap, cfg.Seeds, p.lim, nil)
	if err != nil {
		return nil, fmt.Errorf("publish: knowledge %s refused: %w", source, err)
	}
	ecfg := cfg.Engine
	ecfg.Knowledge, ecfg.Catalog = c.k, nil
	if p.engine, err = dialog.New(ecfg); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	p.live = c
	p.status = Status{Dir: cfg.Dir, Reloads: map[Result]int{},
		Live: Version{ID: snap.Version(), Source: source, LoadedAt: p.now(), Trigger: TriggerStart, Initiatives: len(c.cat.Initiatives), Scores: c.scores}}
	if cfg.Dir != "" {
		p.status.Poll = cfg.Poll
	}
	p.log.InfoContext(ctx, "knowledge loaded", "version", snap.Version(), "source", source,
		"initiatives", len(c.cat.Initiatives), "files", snap.Len(), "bytes", snap.Size(), "took_ms", p.now().Sub(start).Milliseconds())
	return p, nil
}

// Engine returns the engine whose knowledge the publisher swaps.
func (p *Publisher) Engine() *dialog.Engine { return p.engine }

// Status returns a copy of the publisher's status.
func (p *Publisher) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.status
	s.Reloads = make(map[Result]int, len(p.status.Reloads))
	for k, v := range p.status.Reloads {
		s.Reloads[k] = v
	}
	return s
}

// Reload reads the directory again and puts it live if it passes every
// check; otherwise the running version stays and the attempt says why. It
// fails only with ErrNoDirectory. Reloads run one at a time: a second
// caller waits for the first to finish and then reads the directory
// again.
func (p *Publisher) Reload(ctx context.Context, trigger Trigger) (Attempt, error) {
	if p.cfg.Dir == "" {
		return Attempt{}, ErrNoDirectory
	}
	p.reload.Lock()
	a := p.attempt(ctx, trigger)
	p.mu.Lock()
	p.status.Reloads[a.Result]++
	p.status.LastAttempt = &a
	if a.Result == ResultRefused {
		p.status.LastRefused = &a
	}
	p.mu.Unlock()
	p.reload.Unlock()
	if p.cfg.OnAttempt != nil {
		p.cfg.OnAttempt(ctx, a)
	}
	return a, nil
}

// attempt is one reload; p.reload is held.
func (p *Publisher) attempt(ctx context.Context, trigger Trigger) Attempt {
	start := p.now()
	prev := p.Status().Live
	a := Attempt{Trigger: trigger, At: start, Running: prev.ID}
	finish := func(r Result) Attempt {
		a.Result, a.Took = r, p.now().Sub(start)
		return a
	}
	refuse := func(err error) Attempt {
		var r *refusal
		switch {
		case ctx.Err() != nil:
			p.log.InfoContext(ctx, "knowledge reload stopped", "trigger", trigger, "err", ctx.Err())
			return finish(ResultCanceled)
		case errors.As(err, &r):
			a.Check, a.Reason = r.check, r.reason
		default:
			a.Check, a.Reason = CheckRead, err.Error()
		}
		a = finish(ResultRefused)
		p.log.WarnContext(ctx, "knowledge refused: the running version stays", "trigger", trigger, "version", a.Version,
			"running", a.Running, "check", a.Check, "reason", a.Reason, "took_ms", a.Took.Milliseconds())
		return a
	}
	root, err := os.OpenRoot(p.cfg.Dir)
	if err != nil {
		return refuse(err)
	}
	defer root.Close()
	snap, err := p.read(root.FS())
	if err != nil {
		return refuse(err)
	}
	a.Version = snap.Version()
	if snap.Len() == 0 {
		if prev.Source == BuiltinSource {
			return finish(ResultUnchanged) // still waiting for files
		}
		return refuse(&refusal{CheckRead, "the directory holds no files"})
	}
	if snap.Version() == prev.ID {
		if prev.Source == BuiltinSource {
			// The directory now holds exactly the embedded knowledge.
			p.mu.Lock()
			p.status.Live.Source = p.cfg.Dir
			p.mu.Unlock()
		}
		p.log.DebugContext(ctx, "knowledge unchanged", "trigger", trigger, "version", a.Version)
		return finish(ResultUnchanged)
	}
	c, err := check(ctx, snap, p.cfg.Seeds, p.lim, p.live)
	if err != nil {
		return refuse(err)
	}
	a.Scores = c.scores
	p.engine.Swap(c.k)
	p.live = c
	a.Running = snap.Version()
	a = finish(ResultOK)
	p.mu.Lock()
	p.status.Live = Version{ID: snap.Version(), Source: p.cfg.Dir, LoadedAt: p.now(), Trigger: trigger, Initiatives: len(c.cat.Initiatives), Scores: c.scores}
	p.mu.Unlock()
	p.log.InfoContext(ctx, "knowledge published", "trigger", trigger, "version", a.Version, "previous", prev.ID,
		"initiatives", len(c.cat.Initiatives), "took_ms", a.Took.Milliseconds())
	return a
}

// read takes a snapshot of fsys, again if it changed while being read (a
// copy in progress, a ConfigMap update), so that no version mixes two.
func (p *Publisher) read(fsys fs.FS) (*Snapshot, error) {
	const tries = 3
	for i := 0; ; i++ {
		before, err := signature(fsys, p.lim)
		if err != nil {
			return nil, err
		}
		snap, err := readSnapshot(fsys, p.lim)
		if err != nil {
			if isLimit(err) {
				return nil, &refusal{CheckLimits, err.Error()}
			}
			return nil, err
		}
		after, err := signature(fsys, p.lim)
		if err != nil {
			return nil, err
		}
		if before == after {
			return snap, nil
		}
		if i == tries-1 {
			return nil, errors.New("the directory kept changing while it was read; it is read again once it settles")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
