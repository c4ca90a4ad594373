package handoff

import "context"

// Sweep and Reminders run one round of what Run does every few seconds.
var (
	Sweep     = (*Desk).sweep
	Reminders = (*Desk).reminders
)

// Wait waits for the deliveries started in the background.
func (d *Desk) Wait(context.Context) { d.running.Wait() }
