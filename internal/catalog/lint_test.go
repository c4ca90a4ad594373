package catalog

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"
)

// overlay builds a knowledge directory: testdata/lint/good with the files
// of a case directory on top, minus the paths its DELETE file lists.
func overlay(t *testing.T, caseDir string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	add := func(root string) {
		err := fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || p == "want.txt" || p == "DELETE" {
				return err
			}
			data, err := os.ReadFile(path.Join(root, p))
			m[p] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add("testdata/lint/good")
	if caseDir != "" {
		add(caseDir)
		if del, err := os.ReadFile(path.Join(caseDir, "DELETE")); err == nil {
			for _, p := range strings.Fields(string(del)) {
				delete(m, p)
			}
		}
	}
	return m
}

func TestLintGoodFixture(t *testing.T) {
	for _, p := range Lint(overlay(t, ""), os.DirFS("testdata/lint/seed")) {
		t.Errorf("good fixture: %s", p)
	}
	c, err := Load(overlay(t, ""), os.DirFS("testdata/lint/seed"))
	if err != nil {
		t.Fatal(err)
	}
	in, ok := c.Initiative("handbook")
	if !ok || len(in.Sections) != 2 || in.Line() != 4 {
		t.Errorf("handbook = %+v; want sections sme and regional, line 4", in)
	}
}

// TestLintErrorClasses runs every case under testdata/lint: each breaks the
// good fixture one way, and want.txt holds the problems Lint must report.
func TestLintErrorClasses(t *testing.T) {
	entries, err := os.ReadDir("testdata/lint")
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "good" || e.Name() == "seed" {
			continue
		}
		cases++
		dir := path.Join("testdata/lint", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			want, err := os.ReadFile(path.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			problems := Lint(overlay(t, dir), os.DirFS("testdata/lint/seed"))
			if len(problems) == 0 {
				t.Fatal("Lint found no problem")
			}
			got := problems.Error()
			for _, w := range strings.Split(strings.TrimSpace(string(want)), "\n") {
				if !strings.Contains(got, w) {
					t.Errorf("Lint problems lack %q; got:\n%s", w, got)
				}
			}
			if _, err := Load(overlay(t, dir), os.DirFS("testdata/lint/seed")); err == nil {
				t.Error("Load succeeded on a broken knowledge base")
			}
		})
	}
	if cases < 10 {
		t.Errorf("found %d lint cases; want the full set", cases)
	}
}
