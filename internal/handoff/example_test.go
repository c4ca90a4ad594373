package handoff_test

import (
	"fmt"
	"time"

	"github.com/supportbot/supportbot/internal/handoff"
)

// The staff's hours: a ticket opened on Friday evening is answered on
// Monday (the 7th; the 8th is a holiday here), and its first reminder,
// after 15 minutes of hours, comes at 09:15.
func ExampleParseHours() {
	h, err := handoff.ParseHours("Mon-Fri 09:00-17:00 Asia/Tokyo", []string{"2026-12-08"})
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, 12, 4, 18, 30, 0, 0, h.Location())
	fmt.Println(h.Open(friday))
	fmt.Println(h.Next(friday).Format("Mon 2 Jan 15:04"))
	fmt.Println(h.After(friday, 15*time.Minute).Format("Mon 2 Jan 15:04"))
	monday := time.Date(2026, 12, 7, 16, 50, 0, 0, h.Location())
	fmt.Println(h.After(monday, 15*time.Minute).Format("Mon 2 Jan 15:04"))
	// Output:
	// false
	// Mon 7 Dec 09:00
	// Mon 7 Dec 09:15
	// Wed 9 Dec 09:05
}
