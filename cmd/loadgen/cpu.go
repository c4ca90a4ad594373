package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The load generator shares the machine with the server, and on a shared
// machine other processes may take CPU in bursts that an average over the
// run hides. CPU is sampled every second, so the report can say whether
// its slowest seconds had other load.

// userHZ is the clock tick of /proc on Linux.
const userHZ = 100

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU is the CPU time all processes have used, from /proc/stat; 0
// where there is none.
func machineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ
}

// procCPU is the CPU time process pid has used (utime + stime of
// /proc/pid/stat); 0 where there is none.
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name is in parentheses and may hold spaces: count the
	// fields after it. utime and stime are fields 14 and 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(u+s) * time.Second / userHZ
}

// cpuWatch samples, every second, the CPU used by processes other than
// the load generator and the server it started.
type cpuWatch struct {
	mu    sync.Mutex
	other map[int64]float64 // Unix second → cores
	stop  context.CancelFunc
	done  chan struct{}
}

// watchCPU starts sampling; pid is the started server's, or 0 (then the
// server counts as other load).
func watchCPU(ctx context.Context, pid int) *cpuWatch {
	ctx, cancel := context.WithCancel(ctx)
	w := &cpuWatch{other: map[int64]float64{}, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		at, m, s, p := time.Now(), machineCPU(), selfCPU(), procCPU(pid)
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now, m2, s2, p2 := time.Now(), machineCPU(), selfCPU(), procCPU(pid)
			if m > 0 && m2 > 0 {
				other := ((m2 - m) - (s2 - s) - (p2 - p)).Seconds() / now.Sub(at).Seconds()
				w.mu.Lock()
				w.other[at.Unix()] = max(other, 0)
				w.mu.Unlock()
			}
			at, m, s, p = now, m2, s2, p2
		}
	}()
	return w
}

// at returns the other load in the second starting at Unix second t.
func (w *cpuWatch) at(t int64) (float64, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.other[t]
	return v, ok
}

// busySeconds counts the seconds with more than cores of other load, and
// returns the most seen in one second.
func (w *cpuWatch) busySeconds(cores float64) (n int, peak float64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, v := range w.other {
		if v > cores {
			n++
		}
		peak = max(peak, v)
	}
	return n, peak
}
