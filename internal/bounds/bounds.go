// Package bounds measures one call against a time and memory budget. The
// fuzz targets use it for issue 7's "bounded time and memory on any
// input": a request or an answer over budget fails the input that caused
// it, and the fuzzer keeps that input as a crasher under testdata/fuzz.
//
// The budgets are generous on purpose (an answer takes about a
// millisecond and a few hundred kilobytes, even for a 100 KB message):
// they catch work that grows with the input — a quadratic loop, a body
// copied per character — not a slow machine.
package bounds

import (
	"fmt"
	"runtime/metrics"
	"time"
)

// The budget of one call.
const (
	// Time is the most one call may take, also under the fuzzer's
	// coverage instrumentation on a busy 2-core machine; under the race
	// detector, raceFactor times as much.
	Time = time.Second * raceFactor
	// Memory is the most one call may allocate, in bytes. It is counted
	// for the whole process, so work running beside the call (a worker
	// pool answering earlier requests) counts too.
	Memory = 64 << 20
)

const allocsMetric = "/gc/heap/allocs:bytes"

// Within runs f and returns an error naming what when f took longer than
// Time or allocated more than Memory.
func Within(what string, f func()) error {
	sample := []metrics.Sample{{Name: allocsMetric}}
	metrics.Read(sample)
	before := sample[0].Value.Uint64()
	start := time.Now()
	f()
	took := time.Since(start)
	metrics.Read(sample)
	allocated := sample[0].Value.Uint64() - before
	switch {
	case took > Time:
		return fmt.Errorf("%s took %v; the budget is %v", what, took.Round(time.Millisecond), Time)
	case allocated > Memory:
		return fmt.Errorf("%s allocated %d MiB; the budget is %d MiB", what, allocated>>20, Memory>>20)
	}
	return nil
}
