package storetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/storetest"
)

// A store that reads the time from a function is given a FakeClock's Now;
// the suite passes its time with Advance, at once.
func ExampleFakeClock() {
	clock := storetest.NewFakeClock()
	s := inmem.NewConversations(time.Minute, clock.Now)
	ctx := context.Background()
	_ = s.Save(ctx, "line:U1", bot.State{Lang: bot.English})
	clock.Advance(time.Minute)
	_, err := s.Load(ctx, "line:U1")
	fmt.Println(err)
	// Output:
	// bot: no conversation state
}
