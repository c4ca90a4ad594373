//go:build !race

package bounds

const raceFactor = 1
