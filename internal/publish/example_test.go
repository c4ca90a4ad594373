package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// A knowledge directory is published at start-up; a broken edit is
// refused and the running version stays; once the edit is undone the
// directory holds the running version again.
func Example() {
	dir, err := os.MkdirTemp("", "knowledge")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, knowledge.FS); err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	p, err := publish.Open(ctx, publish.Config{Dir: dir, Builtin: knowledge.FS, Seeds: seeds.FS})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Status().Live.Initiatives, "initiatives, from the directory:", p.Status().Live.Source == dir)

	broken := filepath.Join(dir, "initiatives", "zz-new.yaml")
	os.WriteFile(broken, []byte("id: zz-new\n"), 0o644)
	a, _ := p.Reload(ctx, publish.TriggerAdmin)
	fmt.Println(a.Result, "by", a.Check, "- the running version stays:", a.Running == p.Status().Live.ID)

	os.Remove(broken)
	a, _ = p.Reload(ctx, publish.TriggerAdmin)
	fmt.Println(a.Result)
	// Output:
	// 28 initiatives, from the directory: true
	// refused by lint - the running version stays: true
	// unchanged
}
