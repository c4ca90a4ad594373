package bounds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bounds"
)

var sink []byte

func TestWithin(t *testing.T) {
	if err := bounds.Within("nothing", func() {}); err != nil {
		t.Errorf("Within(nothing) = %v; want nil", err)
	}
	err := bounds.Within("a big allocation", func() { sink = make([]byte, bounds.Memory+1<<20) })
	if err == nil || !strings.Contains(err.Error(), "allocated") {
		t.Errorf("Within(a big allocation) = %v; want an error about memory", err)
	}
	sink = nil
	if testing.Short() {
		return
	}
	err = bounds.Within("a sleep", func() { time.Sleep(bounds.Time + 50*time.Millisecond) })
	if err == nil || !strings.Contains(err.Error(), "took") {
		t.Errorf("Within(a sleep) = %v; want an error about time", err)
	}
}
