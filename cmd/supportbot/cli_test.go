package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/knowledge"
)

// runCLI runs the program as the shell would, with no environment.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestKnowledgeLintShipped(t *testing.T) {
	_, stderr, err := runCLI(t, "", "knowledge", "lint")
	if err != nil || !strings.Contains(stderr, "28 initiatives cover 31 seed bullets") {
		t.Fatalf("knowledge lint = %v, %q; want ok with 28 initiatives over 31 bullets", err, stderr)
	}
}

// TestKnowledgeLintStaleFacts: facts checked long ago are a warning on
// stdout, not a failure; the age is a flag.
func TestKnowledgeLintStaleFacts(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, knowledge.FS); err != nil {
		t.Fatal(err)
	}
	meta := filepath.Join(dir, "meta.yaml")
	if err := os.WriteFile(meta, []byte("facts_checked: 2020-01-15\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLI(t, "", "knowledge", "lint", "--knowledge", dir)
	if err != nil || !strings.HasPrefix(stdout, "meta.yaml:1: warning: facts_checked 2020-01-15 is ") || !strings.Contains(stdout, "(more than 180)") {
		t.Errorf("lint of old facts = %v, stdout %q, stderr %q; want exit 0 and a warning", err, stdout, stderr)
	}
	stdout, _, err = runCLI(t, "", "knowledge", "lint", "--knowledge", dir, "--max-facts-age", "100000")
	if err != nil || stdout != "" {
		t.Errorf("lint with --max-facts-age 100000 = %v, %q; want no warning", err, stdout)
	}
}

func TestKnowledgeLintBrokenDir(t *testing.T) {
	stdout, _, err := runCLI(t, "", "knowledge", "lint", "--knowledge", "../../internal/catalog/testdata/lint/good")
	if err == nil {
		t.Fatal("lint of a directory that covers another seed succeeded")
	}
	if exitCode(err) != 1 || !strings.Contains(stdout, "seed bullet covered by no initiative") {
		t.Errorf("lint = exit %d, %q; want exit 1 naming the uncovered bullets", exitCode(err), stdout)
	}
}

func TestKnowledgeExport(t *testing.T) {
	stdout, _, err := runCLI(t, "", "knowledge", "export")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 28 {
		t.Fatalf("export wrote %d lines; want 28", len(lines))
	}
	covered := map[int]bool{}
	for _, l := range lines {
		var e struct {
			ID      string            `json:"id"`
			Name    map[string]string `json:"name"`
			Summary map[string]string `json:"summary"`
			TextJA  string            `json:"text_ja"`
			Sources []struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"sources"`
			Keywords map[string][]string `json:"keywords"`
			Examples map[string][]string `json:"examples"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("export line %q: %v", l, err)
		}
		if e.ID == "" || e.Name["ja"] == "" || e.Name["en"] == "" || e.Summary["en"] == "" || e.TextJA == "" ||
			len(e.Keywords["ja"]) == 0 || len(e.Examples["en"]) < 2 {
			t.Errorf("export %s lacks a required field: %s", e.ID, l)
		}
		for _, s := range e.Sources {
			covered[s.Line] = true
		}
	}
	if len(covered) != 31 {
		t.Errorf("export sources cover %d seed lines; want all 31 bullets", len(covered))
	}
}

func TestAskJSON(t *testing.T) {
	in := `{"id":"a","q":"セキュリティ・キャンプの応募"}
{"id":"b","q":"おすすめの映画"}

{"id":"c","q":"security camp"}
`
	stdout, _, err := runCLI(t, in, "ask", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("ask --json wrote %d lines; want 3", len(lines))
	}
	var a, b, c jsonAnswer
	for i, v := range []*jsonAnswer{&a, &b, &c} {
		if err := json.Unmarshal([]byte(lines[i]), v); err != nil {
			t.Fatal(err)
		}
	}
	if a.ID != "a" || a.Lang != "ja" || !a.Confident || len(a.Results) == 0 || a.Results[0].ID != "security-camp" || a.Results[0].Sources[0].Line != 50 {
		t.Errorf("answer a = %+v; want security-camp (line 50) first", a)
	}
	if b.Confident || len(b.Results) != 0 {
		t.Errorf("answer b = %+v; want no programme", b)
	}
	if c.Lang != "en" || len(c.Results) > 5 {
		t.Errorf("answer c = %+v; want English, at most 5 results", c)
	}
	if !strings.Contains(lines[1], `"results":[]`) || !strings.Contains(lines[0], `"us":`) {
		t.Errorf("ask --json lines lack results:[] or us: %s", stdout)
	}
}

// TestAskJSONClarify: an answer that asks back lists its guesses as
// results, confident, and says clarify; one outside the domain has none.
func TestAskJSONClarify(t *testing.T) {
	stdout, _, err := runCLI(t, `{"id":"a","q":"スマホ"}`+"\n"+`{"id":"b","q":"weather in Osaka"}`+"\n", "ask", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("ask --json wrote %d lines; want 2", len(lines))
	}
	var a, b jsonAnswer
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &b); err != nil {
		t.Fatal(err)
	}
	if !a.Clarify || !a.Confident || len(a.Results) == 0 {
		t.Errorf("answer a = %+v; want clarify, confident, with guesses", a)
	}
	if b.Clarify || b.Confident || len(b.Results) != 0 || strings.Contains(lines[1], "clarify") {
		t.Errorf("answer b = %s; want no programme and no clarify field", lines[1])
	}
}

func TestAskJSONNamesBadLine(t *testing.T) {
	_, _, err := runCLI(t, "{\"id\":\"a\",\"q\":\"CTF\"}\n{oops\n", "ask", "--json")
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ask --json on a bad line 2 = %v; want an error naming line 2", err)
	}
}

func TestAskReadable(t *testing.T) {
	stdout, _, err := runCLI(t, "", "ask", "子どものスマホが心配")
	if err != nil || !strings.Contains(stdout, "出典") {
		t.Errorf("ask = %v, %q; want a readable answer with a citation", err, stdout)
	}
}

func TestChatFollowUps(t *testing.T) {
	stdout, _, err := runCLI(t, "中小企業向けの支援を全部\nもっと\n1\nEnglish\n/quit\n", "chat")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"6.", "「", "English from now on"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("chat transcript lacks %q", want)
		}
	}
}

func TestEvalDev(t *testing.T) {
	if _, err := os.Stat("../../internal/evaluate/testdata/dev.jsonl"); err != nil {
		t.Skip("no dev set")
	}
	stdout, _, err := runCLI(t, "", "eval", "../../internal/evaluate/testdata/dev.jsonl")
	if err != nil || !strings.Contains(stdout, "Hit@1") || !strings.Contains(stdout, "misses:") {
		t.Errorf("eval = %v, %q", err, stdout)
	}
}

func TestUnknownCommand(t *testing.T) {
	_, _, err := runCLI(t, "", "frobnicate")
	if exitCode(err) != 2 {
		t.Errorf("unknown command exit = %d; want 2", exitCode(err))
	}
}
