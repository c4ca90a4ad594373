package publish

import (
	"io/fs"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/knowledge"
)

// TestShippedKnowledgeWithinLimits: the default limits leave the shipped
// knowledge far inside them (the figures in Limits' comment and the
// README), so that only abuse meets them.
func TestShippedKnowledgeWithinLimits(t *testing.T) {
	lim := DefaultLimits()
	snap, err := ReadFS(knowledge.FS, lim)
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for _, name := range snap.Paths() {
		if !strings.HasSuffix(name, ".yaml") {
			continue
		}
		data, _ := fs.ReadFile(snap, name)
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		m := measure{lim: lim, seen: map[*yaml.Node]shape{}, open: map[*yaml.Node]bool{}}
		s, err := m.shape(&doc)
		if err != nil {
			t.Fatal(err)
		}
		if s.nodes != countWritten(&doc) {
			t.Errorf("%s uses aliases; the limits assume the knowledge does not", name)
		}
		depth = max(depth, s.depth)
	}
	t.Logf("%d files, %d bytes, YAML %d deep", snap.Len(), snap.Size(), depth)
	if snap.Size()*10 > lim.MaxBytes || snap.Len()*10 > lim.MaxFiles || depth*4 > lim.MaxDepth {
		t.Errorf("the shipped knowledge (%d bytes, %d files, %d deep) is within 10× of the limits %+v", snap.Size(), snap.Len(), depth, lim)
	}
}
