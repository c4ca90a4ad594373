package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sample is one scrape of the server's /metrics: series → value, where a
// series is written as in the exposition format, name{label="v",…}.
type sample struct {
	at     time.Time
	series map[string]float64
}

// scrape reads the Prometheus text format of /metrics. It understands
// what client_golang writes: one sample a line, no timestamps.
func scrape(ctx context.Context, c *http.Client, url string) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return sample{}, err
	}
	req.Header.Set("Accept", "text/plain")
	res, err := c.Do(req)
	if err != nil {
		return sample{}, fmt.Errorf("scrape: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return sample{}, fmt.Errorf("scrape: %s", res.Status)
	}
	return parseMetrics(res.Body)
}

func parseMetrics(r io.Reader) (sample, error) {
	s := sample{at: time.Now(), series: map[string]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		s.series[line[:i]] = v
	}
	return s, sc.Err()
}

// sum adds the series of metric name whose labels include every
// label="value" in match (written as `label="value"`).
func (s sample) sum(name string, match ...string) float64 {
	var total float64
	for k, v := range s.series {
		n, labels, _ := strings.Cut(k, "{")
		if n != name {
			continue
		}
		ok := true
		for _, m := range match {
			if !strings.Contains(labels, m) {
				ok = false
				break
			}
		}
		if ok {
			total += v
		}
	}
	return total
}

// has reports whether the scrape holds any series of name.
func (s sample) has(name string) bool {
	for k := range s.series {
		if n, _, _ := strings.Cut(k, "{"); n == name {
			return true
		}
	}
	return false
}

// delta lists the series of name that grew between before and s, by
// their labels, e.g. `platform="line",reason="rate_limited"` → 3.
func (s sample) delta(before sample, name string) map[string]float64 {
	out := map[string]float64{}
	for k, v := range s.series {
		n, labels, _ := strings.Cut(k, "{")
		if n != name {
			continue
		}
		if d := v - before.series[k]; d != 0 {
			out[strings.TrimSuffix(labels, "}")] = d
		}
	}
	return out
}

// formatDelta writes a delta map sorted by label set.
func formatDelta(d map[string]float64) string {
	if len(d) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, k := range slices.Sorted(maps.Keys(d)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{%s} %g", k, d[k])
	}
	return b.String()
}
