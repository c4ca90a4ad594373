package publish

import (
	"context"
	"os"
	"time"
)

// Watch reloads when the directory changes, until ctx ends. It looks at
// the names, sizes and modification times of the files every Config.Poll
// (reading no content) and reloads once a change has stayed the same for
// one more poll: an editor or a copy that writes several files is read
// whole, not half-way. A directory whose version was refused is not read
// again until it changes again.
//
// Polling costs a few stat calls per interval and needs no dependency; it
// also sees changes that file notifications miss (a ConfigMap's symlink
// swap, a network volume, a directory replaced whole).
func (p *Publisher) Watch(ctx context.Context) error {
	if p.cfg.Dir == "" || p.cfg.Poll <= 0 {
		return nil
	}
	t := time.NewTicker(p.cfg.Poll)
	defer t.Stop()
	pending := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		sig, err := p.look()
		if err != nil {
			// Gone for a moment (replaced whole) or unreadable: look again
			// next time; a reload now would only be refused.
			p.log.DebugContext(ctx, "knowledge directory unreadable", "dir", p.cfg.Dir, "err", err)
			continue
		}
		if sig != p.sig {
			p.sig, pending = sig, true
			continue
		}
		if pending {
			pending = false
			_, _ = p.Reload(ctx, TriggerWatch) // outcome logged and in Status
		}
	}
}

// look returns the directory's signature now.
func (p *Publisher) look() (string, error) {
	root, err := os.OpenRoot(p.cfg.Dir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	return signature(root.FS(), p.lim)
}
