package publish_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// heldout are the evaluation's held-out sets: with the staff file they
// make the full regression set of a directory.
var heldout = []string{"heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl"}

// copyKnowledge writes the shipped knowledge to a new directory, with
// testdata/staff.jsonl as its regression file, and returns its path.
func copyKnowledge(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(knowledge.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(knowledge.FS, name)
		if err != nil {
			return err
		}
		return writeFile(dir, name, string(data))
	})
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, "testdata/staff.jsonl", filepath.Join(dir, "eval", "staff.jsonl"))
	return dir
}

// withHeldout adds the evaluation's held-out sets to a directory's
// regression files: the full set, 587 questions with the built-in one.
func withHeldout(t testing.TB, dir string) {
	t.Helper()
	for _, name := range heldout {
		copyFile(t, filepath.Join("..", "evaluate", "testdata", name), filepath.Join(dir, "eval", name))
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeFile(dir, name, content string) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(content), 0o644)
}

// edit rewrites one file of a directory as editors save, whole: written
// beside it and renamed over it, so a watcher polling meanwhile never
// reads it half-written (on a busy machine a plain write could leave it
// empty for longer than the tests' short poll, and the watcher would
// refuse that once more). Its modification time moves on so that a
// watcher sees the change whatever the file system's clock granularity.
func edit(t testing.TB, dir, name string, change func(string) string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	after := change(string(data))
	if after == string(data) {
		t.Fatalf("edit of %s changed nothing", name)
	}
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	if err := os.WriteFile(tmp, []byte(after), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	_ = os.Chtimes(tmp, later, later)
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// replace returns an edit that replaces old by new once, failing the test
// when old is absent.
func replace(t testing.TB, old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("%q not found", old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

// open opens a publisher over dir with the embedded seeds.
func open(t testing.TB, cfg publish.Config) *publish.Publisher {
	t.Helper()
	cfg.Builtin, cfg.Seeds = knowledge.FS, seeds.FS
	p, err := publish.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return p
}

// first returns the id of the first programme an engine offers, or "".
func first(t testing.TB, e *dialog.Engine, q string) string {
	t.Helper()
	a, err := e.Answer(context.Background(), bot.Question{Text: q})
	if err != nil {
		t.Fatalf("Answer(%q): %v", q, err)
	}
	if !a.Confident || len(a.Cards) == 0 {
		return ""
	}
	return a.Cards[0].ID
}

func reload(t testing.TB, p *publish.Publisher) publish.Attempt {
	t.Helper()
	a, err := p.Reload(context.Background(), publish.TriggerAdmin)
	if err != nil {
		t.Fatalf("Reload: %v", err)
	}
	return a
}

// The edit of the walk: a keyword that makes a question find
// SecHack365, which finds nothing before.
const (
	quantumQuestion = "量子暗号について知りたい"
	sechackKeywords = "  ja: [ハッカソン, 若手,"
	withQuantum     = "  ja: [量子暗号, ハッカソン, 若手,"
	sechackFile     = "initiatives/sechack365.yaml"
)

func publishConfig(dir string) publish.Config {
	return publish.Config{Dir: dir, Builtin: knowledge.FS, Seeds: seeds.FS}
}
