package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/internal/publish"
)

// TestKeywordEditFindsQuestion is the walk, in process: a question
// finds nothing; a keyword added to a programme's file is published by a
// reload; the same question now finds it.
func TestKeywordEditFindsQuestion(t *testing.T) {
	dir := copyKnowledge(t)
	p := open(t, publish.Config{Dir: dir})
	before := p.Status().Live
	if got := first(t, p.Engine(), quantumQuestion); got != "" {
		t.Fatalf("before the edit, %q finds %s; want nothing", quantumQuestion, got)
	}
	edit(t, dir, sechackFile, replace(t, sechackKeywords, withQuantum))
	a := reload(t, p)
	if a.Result != publish.ResultOK {
		t.Fatalf("Reload = %s (%s: %s); want ok", a.Result, a.Check, a.Reason)
	}
	if got := first(t, p.Engine(), quantumQuestion); got != "sechack365" {
		t.Errorf("after the edit, %q finds %q; want sechack365", quantumQuestion, got)
	}
	st := p.Status()
	if st.Live.ID == before.ID || st.Live.ID != a.Version || st.Live.Trigger != publish.TriggerAdmin || st.Live.Source != dir {
		t.Errorf("Status().Live = %+v; want the new version %s from %s, by admin", st.Live, a.Version, dir)
	}
	if st.Reloads[publish.ResultOK] != 1 || st.LastRefused != nil {
		t.Errorf("Status() reloads %v, last refused %v; want one ok and none refused", st.Reloads, st.LastRefused)
	}
	if a := reload(t, p); a.Result != publish.ResultUnchanged {
		t.Errorf("Reload of the same directory = %s; want unchanged", a.Result)
	}
}

// TestRefused: every kind of bad version is refused with a reason that
// names what is wrong, and the running version goes on answering.
func TestRefused(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string)
		check  publish.Check
		reason []string
	}{
		{"lint: a missing translation", func(t *testing.T, dir string) {
			edit(t, dir, sechackFile, replace(t, "  ja: SecHack365\n", ""))
		}, publish.CheckLint, []string{"initiatives/sechack365.yaml:", "missing translation: name.ja"}},
		{"lint: YAML syntax", func(t *testing.T, dir string) {
			edit(t, dir, sechackFile, replace(t, "keywords:", "keywords: ["))
		}, publish.CheckLint, []string{"initiatives/sechack365.yaml:"}},
		{"regression: a malformed regression file", func(t *testing.T, dir string) {
			edit(t, dir, "eval/staff.jsonl", func(s string) string { return s + "{not json}\n" })
		}, publish.CheckRegression, []string{"eval/staff.jsonl: line 4"}},
		{"regression: the built-in set under its floor", rotateSources, publish.CheckRegression, []string{"dev (built in): Hit@1", "is under the floor 0.90"}},
		{"limits: a 100 MB directory", func(t *testing.T, dir string) {
			f, err := os.Create(filepath.Join(dir, "initiatives", "huge.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(100 << 20); err != nil { // sparse: costs no disk
				t.Fatal(err)
			}
		}, publish.CheckLimits, []string{"initiatives/huge.yaml is 100 MB; one file may hold at most 1 MB"}},
		{"limits: more than 10 MB in all", func(t *testing.T, dir string) {
			for i := range 11 {
				f, err := os.Create(filepath.Join(dir, "eval", "big"+string(rune('a'+i))+".txt"))
				if err != nil {
					t.Fatal(err)
				}
				f.Truncate(1<<20 - 1)
				f.Close()
			}
		}, publish.CheckLimits, []string{"the directory holds more than 10 MB; at most 10 MB"}},
		{"limits: too many files", func(t *testing.T, dir string) {
			for i := range 1001 {
				writeFile(dir, filepath.Join("notes", strings.Repeat("n", 1+i%50)+string(rune('a'+i/50))), "x")
			}
		}, publish.CheckLimits, []string{"more than 1000 files and directories"}},
		{"limits: a YAML bomb", func(t *testing.T, dir string) {
			writeFile(dir, "initiatives/zz-bomb.yaml", billionLaughs(9))
		}, publish.CheckLimits, []string{"initiatives/zz-bomb.yaml: aliases expand", "a YAML bomb?"}},
		{"limits: a YAML bomb in a known file", func(t *testing.T, dir string) {
			edit(t, dir, "vocabulary.yaml", func(s string) string { return s + "\nx:\n" + indent(billionLaughs(12)) })
		}, publish.CheckLimits, []string{"vocabulary.yaml: aliases expand"}},
		{"limits: YAML nested 500 deep", func(t *testing.T, dir string) {
			writeFile(dir, "initiatives/zz-deep.yaml", "id: "+strings.Repeat("[", 500)+strings.Repeat("]", 500)+"\n")
		}, publish.CheckLimits, []string{"initiatives/zz-deep.yaml: YAML nested 502 deep; at most 64"}},
		{"limits: an alias inside its own anchor", func(t *testing.T, dir string) {
			writeFile(dir, "initiatives/zz-cycle.yaml", "a: &a [x, *a]\n")
		}, publish.CheckLimits, []string{"initiatives/zz-cycle.yaml: an alias refers to the node that contains it"}},
		{"limits: too many regression questions", func(t *testing.T, dir string) {
			writeFile(dir, "eval/many.jsonl", strings.Repeat(`{"id":"m","lang":"en","q":"security camp","gold":[50]}`+"\n", 5000))
		}, publish.CheckLimits, []string{"the regression files hold more than 5000 questions"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyKnowledge(t)
			p := open(t, publish.Config{Dir: dir})
			live := p.Status().Live
			tt.break_(t, dir)
			start := time.Now()
			a := reload(t, p)
			took := time.Since(start)
			if a.Result != publish.ResultRefused || a.Check != tt.check {
				t.Fatalf("Reload = %s (%s: %s); want refused by %s", a.Result, a.Check, a.Reason, tt.check)
			}
			for _, want := range tt.reason {
				if !strings.Contains(a.Reason, want) {
					t.Errorf("reason %q lacks %q", a.Reason, want)
				}
			}
			if took > 5*time.Second {
				t.Errorf("refusing took %v; a bad directory must cost no more than a good one", took)
			}
			st := p.Status()
			if st.Live.ID != live.ID || a.Running != live.ID {
				t.Errorf("live version %s after a refusal; want %s still", st.Live.ID, live.ID)
			}
			if st.LastRefused == nil || st.LastRefused.Reason != a.Reason || st.LastRefused.At.IsZero() {
				t.Errorf("Status().LastRefused = %+v; want this refusal with its time", st.LastRefused)
			}
			if got := first(t, p.Engine(), "SecHack365に応募したい"); got != "sechack365" {
				t.Errorf("after a refusal the bot answers %q; want sechack365 from the running version", got)
			}
		})
	}
}

// billionLaughs is a YAML document whose aliases expand 10^levels-fold.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		b.WriteString("l" + itoa(i) + ": &l" + itoa(i) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*l" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

// rotateSources gives every initiative the seed bullet (text_ja and
// sources) of the next one: each file still quotes the seed exactly and
// every bullet is covered once, so the lint passes, but every card now
// points at the wrong bullet.
func rotateSources(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "initiatives", "*.yaml"))
	docs := make([]*yaml.Node, len(files))
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = &yaml.Node{}
		if err := yaml.Unmarshal(data, docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	value := func(doc *yaml.Node, key string) **yaml.Node {
		m := doc.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return &m.Content[i+1]
			}
		}
		t.Fatalf("no %s", key)
		return nil
	}
	// The summary goes with its bullet: it tells what the plan said of it
	// (and its FY2019 note, which the lint checks against the seed).
	type bullet struct{ text, sources, summary *yaml.Node }
	bullets := make([]bullet, len(docs))
	for i, d := range docs {
		bullets[i] = bullet{*value(d, "text_ja"), *value(d, "sources"), *value(d, "summary")}
	}
	for i, d := range docs {
		b := bullets[(i+1)%len(docs)]
		*value(d, "text_ja"), *value(d, "sources"), *value(d, "summary") = b.text, b.sources, b.summary
		out, err := yaml.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(files[i], out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRegressionFileHoldsAnEdit: staff add a keyword with the question
// it answers to their regression file; a later edit that drops the
// keyword is refused, naming the file and the question lost.
func TestRegressionFileHoldsAnEdit(t *testing.T) {
	dir := copyKnowledge(t)
	p := open(t, publish.Config{Dir: dir})
	edit(t, dir, sechackFile, replace(t, sechackKeywords, withQuantum))
	edit(t, dir, "eval/staff.jsonl", func(s string) string {
		return s + `{"id": "s004", "lang": "ja", "q": "` + quantumQuestion + `", "gold": [49]}` + "\n"
	})
	if a := reload(t, p); a.Result != publish.ResultOK {
		t.Fatalf("Reload with the keyword and its question = %s (%s: %s); want ok", a.Result, a.Check, a.Reason)
	}
	live := p.Status().Live.ID
	edit(t, dir, sechackFile, replace(t, withQuantum, sechackKeywords))
	a := reload(t, p)
	want := "eval/staff.jsonl: Hit@1 0.667 is under the running version's 1.000 (1 of 3 questions fewer)"
	if a.Result != publish.ResultRefused || a.Check != publish.CheckRegression || !strings.Contains(a.Reason, want) {
		t.Fatalf("Reload without the keyword = %s (%s: %s); want refused: %s", a.Result, a.Check, a.Reason, want)
	}
	if p.Status().Live.ID != live {
		t.Error("the live version changed after a refusal")
	}
	if got := first(t, p.Engine(), quantumQuestion); got != "sechack365" {
		t.Errorf("%q finds %q after the refusal; want sechack365 still", quantumQuestion, got)
	}
}

// TestStartRefusesWhatReloadWould: a directory that a reload would refuse
// does not start the server either.
func TestStartRefusesWhatReloadWould(t *testing.T) {
	dir := copyKnowledge(t)
	writeFile(dir, "initiatives/zz-bomb.yaml", billionLaughs(9))
	_, err := publish.Open(context.Background(), publishConfig(dir))
	if err == nil || !strings.Contains(err.Error(), "limits: initiatives/zz-bomb.yaml: aliases expand") {
		t.Errorf("Open over a YAML bomb = %v; want refused by limits", err)
	}
	if _, err := publish.Open(context.Background(), publishConfig(filepath.Join(dir, "nope"))); err == nil {
		t.Error("Open over a missing directory = nil; want an error")
	}
}

// TestEmptyDirectoryWaits: an empty directory (a ConfigMap not created
// yet) answers from the embedded knowledge, and its first files are held
// to the checks against it.
func TestEmptyDirectoryWaits(t *testing.T) {
	dir := t.TempDir()
	p := open(t, publish.Config{Dir: dir})
	if st := p.Status(); st.Live.Source != publish.BuiltinSource || st.Live.Initiatives != 28 {
		t.Fatalf("Status().Live = %+v; want the embedded knowledge", st.Live)
	}
	if a := reload(t, p); a.Result != publish.ResultUnchanged {
		t.Errorf("Reload of the empty directory = %s %s; want unchanged", a.Result, a.Reason)
	}
	full := copyKnowledge(t)
	edit(t, full, sechackFile, replace(t, sechackKeywords, withQuantum))
	if err := os.CopyFS(dir, os.DirFS(full)); err != nil {
		t.Fatal(err)
	}
	if a := reload(t, p); a.Result != publish.ResultOK {
		t.Fatalf("Reload once files arrive = %s (%s: %s); want ok", a.Result, a.Check, a.Reason)
	}
	if got := first(t, p.Engine(), quantumQuestion); got != "sechack365" {
		t.Errorf("%q finds %q; want sechack365 from the directory", quantumQuestion, got)
	}
	if st := p.Status(); st.Live.Source != dir {
		t.Errorf("source %q; want %s", st.Live.Source, dir)
	}
}

// TestConfigMapLayout reads a directory laid out as the kubelet mounts a
// ConfigMap (flat keys with "__" for "/", each a link into a hidden,
// timestamped directory through ..data) as the same version as the
// directory itself, and follows the kubelet's atomic swap of ..data.
func TestConfigMapLayout(t *testing.T) {
	plain := copyKnowledge(t)
	want := open(t, publish.Config{Dir: plain}).Status().Live.ID
	mount := t.TempDir()
	kubeletWrite(t, mount, plain, "..2026_01_01_00_00_00.000000001")
	p := open(t, publish.Config{Dir: mount})
	if got := p.Status().Live.ID; got != want {
		t.Errorf("version of the ConfigMap mount %s; want %s as the plain directory", got, want)
	}
	edit(t, plain, sechackFile, replace(t, sechackKeywords, withQuantum))
	kubeletWrite(t, mount, plain, "..2026_01_01_00_01_00.000000001")
	if a := reload(t, p); a.Result != publish.ResultOK {
		t.Fatalf("Reload after the ConfigMap update = %s (%s: %s); want ok", a.Result, a.Check, a.Reason)
	}
	if got := first(t, p.Engine(), quantumQuestion); got != "sechack365" {
		t.Errorf("%q finds %q after the ConfigMap update; want sechack365", quantumQuestion, got)
	}
}

// kubeletWrite lays src out in mount the way the kubelet projects a
// ConfigMap: the files in a new hidden directory, ..data switched to it by
// a rename, and one link per key through ..data.
func kubeletWrite(t *testing.T, mount, src, stamp string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		key := strings.ReplaceAll(filepath.ToSlash(rel), "/", "__")
		copyFile(t, path, filepath.Join(mount, stamp, key))
		link := filepath.Join(mount, key)
		if _, err := os.Lstat(link); os.IsNotExist(err) {
			return os.Symlink(filepath.Join("..data", key), link)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(mount, "..data_tmp")
	if err := os.Symlink(stamp, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(mount, "..data")); err != nil {
		t.Fatal(err)
	}
}

// TestWatch: an edit is published by the watcher once the directory has
// stayed the same for a poll; a broken edit is refused once, not again at
// every poll.
func TestWatch(t *testing.T) {
	dir := copyKnowledge(t)
	var mu sync.Mutex
	var attempts []publish.Attempt
	cfg := publish.Config{Dir: dir, Poll: 20 * time.Millisecond, OnAttempt: func(_ context.Context, a publish.Attempt) {
		mu.Lock()
		attempts = append(attempts, a)
		mu.Unlock()
	}}
	p := open(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Watch(ctx) }()
	defer func() { cancel(); <-done }()

	edit(t, dir, sechackFile, replace(t, sechackKeywords, withQuantum))
	waitFor(t, "the edit to be published", func() bool { return p.Status().Reloads[publish.ResultOK] == 1 })
	if got := first(t, p.Engine(), quantumQuestion); got != "sechack365" {
		t.Errorf("%q finds %q; want sechack365", quantumQuestion, got)
	}
	edit(t, dir, sechackFile, replace(t, "  ja: SecHack365\n", ""))
	waitFor(t, "the broken edit to be refused", func() bool { return p.Status().LastRefused != nil })
	time.Sleep(10 * cfg.Poll)
	mu.Lock()
	defer mu.Unlock()
	if len(attempts) != 2 || attempts[0].Trigger != publish.TriggerWatch || attempts[1].Result != publish.ResultRefused {
		t.Errorf("attempts %+v; want one ok and one refused, by the watcher", attempts)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestReloadWithoutDirectory(t *testing.T) {
	p := open(t, publish.Config{})
	if _, err := p.Reload(context.Background(), publish.TriggerAdmin); err != publish.ErrNoDirectory {
		t.Errorf("Reload without a directory = %v; want ErrNoDirectory", err)
	}
	if st := p.Status(); st.Live.Source != publish.BuiltinSource || st.Live.ID == "" || len(st.Live.Scores) != 1 {
		t.Errorf("Status().Live = %+v; want the embedded version with its dev score", st.Live)
	}
}
