package publish_test

import (
	"testing"
	"testing/fstest"

	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/knowledge"
)

// TestSnapshotIsAFileSystem checks the in-memory file system that the
// catalog reads a version from, with the standard library's own test.
func TestSnapshotIsAFileSystem(t *testing.T) {
	dir := copyKnowledge(t)
	snap, err := publish.ReadDir(dir, publish.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(snap, "taxonomy.yaml", "initiatives/sechack365.yaml", "eval/staff.jsonl"); err != nil {
		t.Fatal(err)
	}
	if snap.Len() != 35 || len(snap.Paths()) != 35 {
		t.Errorf("Len() = %d, Paths() %d; want 35 (34 knowledge files and the staff's regression file)", snap.Len(), len(snap.Paths()))
	}
}

// TestVersionIsTheContent: the version is the content hash, the same for
// the embedded knowledge and a copy of it, different after an edit.
func TestVersionIsTheContent(t *testing.T) {
	embedded, err := publish.ReadFS(knowledge.FS, publish.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, p := range embedded.Paths() {
		data, _ := embedded.ReadFile(p)
		writeFile(dir, p, string(data))
	}
	copied, err := publish.ReadDir(dir, publish.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if copied.Version() != embedded.Version() || len(embedded.Version()) != 16 {
		t.Errorf("copy %s, embedded %s; want the same 16 hex digits", copied.Version(), embedded.Version())
	}
	edit(t, dir, sechackFile, replace(t, sechackKeywords, withQuantum))
	edited, _ := publish.ReadDir(dir, publish.Limits{})
	if edited.Version() == embedded.Version() {
		t.Error("an edit kept the version")
	}
}
