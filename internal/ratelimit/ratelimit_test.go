package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterBurstThenRate(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(1, 3, 100, func() time.Time { return now })
	for i := range 3 {
		if !l.Allow("u") {
			t.Fatalf("Allow #%d = false within burst", i+1)
		}
	}
	if l.Allow("u") {
		t.Fatal("Allow past burst = true")
	}
	if !l.Allow("other") {
		t.Fatal("another key is limited by the first")
	}
	now = now.Add(time.Second)
	if !l.Allow("u") {
		t.Fatal("Allow after a second = false; want one token back")
	}
	if l.Allow("u") {
		t.Fatal("second Allow after a second = true")
	}
}

func TestLimiterBoundedKeys(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(1, 2, 10, func() time.Time { return now })
	for i := range 1000 {
		l.Allow(fmt.Sprint(i))
		now = now.Add(time.Millisecond)
	}
	if n := l.Len(); n > 10 {
		t.Errorf("Len = %d; want at most 10", n)
	}
}

func TestNilLimiterAllows(t *testing.T) {
	var l *Limiter
	if !l.Allow("x") {
		t.Error("nil Limiter refused")
	}
}
