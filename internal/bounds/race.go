//go:build race

package bounds

// raceFactor widens the time budget under the race detector, which slows
// regular expressions and map-heavy code ten- to twentyfold: the budget
// is for work that grows with the input, not for the detector.
const raceFactor = 4
