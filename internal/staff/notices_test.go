package staff_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/staff"
)

// TestNoticesOnceAcrossReplicas: three replicas refuse the same version
// and each notifies; the staff hear of it once. Another version is
// another notice.
func TestNoticesOnceAcrossReplicas(t *testing.T) {
	open := database(t)
	var posted atomic.Int32
	post := func(context.Context) error { posted.Add(1); return nil }
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var ns []*staff.Notices
	for range 3 {
		n := staff.NewNotices(staff.NoticesConfig{Claims: open()})
		ns = append(ns, n)
		wg.Go(func() { _ = n.Run(ctx) })
	}
	for _, n := range ns {
		if !n.Notify(ctx, "refused:93ab:5c1e", post) {
			t.Fatal("Notify refused a notice with room in the queue")
		}
	}
	ns[0].Notify(ctx, "refused:77cd:5c1e", post)
	deadline := time.Now().Add(10 * time.Second)
	for posted.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // time for a wrong third post
	cancel()
	wg.Wait()
	if n := posted.Load(); n != 2 {
		t.Errorf("%d notices posted; want 2: one per refused version", n)
	}
}

// TestNoticesQueue: Notify never blocks; a full queue drops the notice;
// what is queued at shutdown is still posted; a failed post is not
// retried.
func TestNoticesQueue(t *testing.T) {
	n := staff.NewNotices(staff.NoticesConfig{Size: 2})
	var posted, failed atomic.Int32
	ok := func(context.Context) error { posted.Add(1); return nil }
	bad := func(context.Context) error { failed.Add(1); return errors.New("slack: channel_not_found") }
	if !n.Notify(t.Context(), "a", bad) || !n.Notify(t.Context(), "b", ok) {
		t.Fatal("Notify refused with room in the queue")
	}
	start := time.Now()
	if n.Notify(t.Context(), "c", ok) {
		t.Error("Notify past the queue's size = true; want the notice dropped")
	}
	if time.Since(start) > time.Second { // it would block until Run drains the queue, which is not running
		t.Error("Notify blocked on a full queue")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // shut down before Run even starts: the queue is drained
	if err := n.Run(ctx); err != nil {
		t.Errorf("Run = %v", err)
	}
	if posted.Load() != 1 || failed.Load() != 1 {
		t.Errorf("posted %d, failed %d; want 1 and 1 (the failure not retried)", posted.Load(), failed.Load())
	}
}
