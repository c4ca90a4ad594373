package adapter_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
)

func TestThrottle(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	th := adapter.NewThrottle(time.Minute, func() time.Time { return now })
	steps := []struct {
		after time.Duration
		key   string
		want  bool
	}{
		{0, "event:message", true},
		{time.Second, "event:message", false},
		{0, "interaction:block_actions", true},
		{58 * time.Second, "event:message", false},
		{time.Second, "event:message", true},
	}
	for i, s := range steps {
		now = now.Add(s.after)
		if got := th.Allow(s.key); got != s.want {
			t.Errorf("step %d: Allow(%q) = %v; want %v", i, s.key, got, s.want)
		}
	}
}

func ExampleThrottle() {
	th := adapter.NewThrottle(time.Minute, nil)
	for range 3 {
		fmt.Println(th.Allow("slack event not understood: message"))
	}
	// Output:
	// true
	// false
	// false
}
