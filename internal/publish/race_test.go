//go:build race

package publish_test

// raceEnabled: the race detector slows the engine several times over, so
// the reload target is checked only without it.
const raceEnabled = true
