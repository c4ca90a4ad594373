package migration_test

import (
	"testing"
	"testing/fstest"

	"github.com/supportbot/supportbot/internal/migration"
)

func TestRead(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	ms, err := migration.Read(fstest.MapFS{
		"m/0002_claims.sql":   file("CREATE TABLE b"),
		"m/0001_question.sql": file("CREATE TABLE a"),
		"m/README":            file("not a migration"),
	}, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0] != (migration.Migration{Version: 1, Name: "question", SQL: "CREATE TABLE a"}) || ms[1].Version != 2 || ms[1].Name != "claims" {
		t.Errorf("Read = %+v; want 0001_question then 0002_claims", ms)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"no number": {"m/claims.sql": file("")},
		"zero":      {"m/0000_x.sql": file("")},
		"twice":     {"m/0001_a.sql": file(""), "m/01_b.sql": file("")},
	} {
		if _, err := migration.Read(fsys, "m"); err == nil {
			t.Errorf("%s: Read accepted %v", name, fsys)
		}
	}
}
