//go:build race

package main

// raceEnabled: the race detector slows the server several times over, so
// latency targets are checked only without it.
const raceEnabled = true
