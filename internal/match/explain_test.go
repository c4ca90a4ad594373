package match_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the ranking golden files in testdata/explain")

// explainLimit is how many results each golden entry shows, as many as
// `supportbot ask --explain` prints.
const explainLimit = 8

// TestExplainGolden is the ranking golden corpus: every file
// testdata/explain/RULE.txt holds questions that exercise one rule of the
// matcher, and RULE.golden what Ranking.Explain says of each, followed by
// how many results there were, the help programmes of an urgent ranking
// and the words the speller corrected. A change of a weight or a rule
// shows as a diff of these files; after checking that the diff is what
// the change meant, regenerate them with
//
//	go test ./internal/match -run TestExplainGolden -update
func TestExplainGolden(t *testing.T) {
	ix, an := index(t)
	files, err := filepath.Glob("testdata/explain/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/explain/*.txt")
	}
	goldens, err := filepath.Glob("testdata/explain/*.golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".golden") + ".txt"); err != nil {
			t.Errorf("%s has no questions file; remove it", g)
		}
	}
	for _, file := range files {
		rule := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(rule, func(t *testing.T) {
			questions, err := readQuestions(file)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			for _, text := range questions {
				q := an.Analyze(text)
				r := ix.Rank(q)
				fmt.Fprintf(&got, "» %s\n", text)
				if err := r.Explain(&got, explainLimit); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&got, "  = %d results", len(r.Results))
				if r.Urgent {
					ids := make([]string, len(r.Help))
					for i, h := range r.Help {
						ids[i] = h.Initiative.ID
					}
					fmt.Fprintf(&got, "; help %v", ids)
				}
				for _, c := range q.Corrected {
					fmt.Fprintf(&got, "; corrected %s→%s", c[0], c[1])
				}
				got.WriteString("\n\n")
			}
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("rankings differ from %s (after checking the change, run with -update):\n%s", golden, lineDiff(string(want), got.String()))
			}
		})
	}
}

// readQuestions reads one question per line; blank lines and lines
// starting with # (what the questions show) are skipped.
func readQuestions(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no questions", file)
	}
	return out, nil
}

// lineDiff shows the first lines of want and got that differ, with the
// question each belongs to, so a failure reads like a review. It compares
// line by line: once a result is added or dropped the rest shifts, and
// git diff after -update says it better.
func lineDiff(want, got string) string {
	const most = 20
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	question, shown := "", 0
	for i := 0; i < max(len(w), len(g)) && shown < most; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if strings.HasPrefix(gl, "» ") {
			question = gl
		}
		if wl == gl {
			continue
		}
		fmt.Fprintf(&b, "%s\n- %s\n+ %s\n", question, wl, gl)
		shown++
	}
	return b.String()
}
