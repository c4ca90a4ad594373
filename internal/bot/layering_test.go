package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the design's boundaries: the core knows nothing of
// Slack, LINE, HTTP metrics or Redis, and the adapters know nothing of
// matching.
func TestLayering(t *testing.T) {
	const mod = "github.com/supportbot/supportbot/"
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH; layering not checked")
	}
	list := func(format string, pkgs ...string) map[string][]string {
		args := append([]string{"list", "-f", "{{.ImportPath}}:" + format}, pkgs...)
		out, err := exec.Command(gobin, args...).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		m := map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			pkg, deps, _ := strings.Cut(line, ":")
			m[pkg] = strings.Fields(deps)
		}
		return m
	}
	core := list(`{{join .Deps " "}}`, mod+"internal/bot", mod+"internal/match", mod+"internal/analysis", mod+"internal/catalog")
	for pkg, deps := range core {
		for _, d := range deps {
			for _, banned := range []string{"github.com/slack-go/", "github.com/line/", "github.com/prometheus/", "github.com/redis/", "net/http"} {
				if strings.HasPrefix(d, banned) {
					t.Errorf("%s depends on %s; the core must stay channel- and transport-neutral", pkg, d)
				}
			}
		}
	}
	adapters := list(`{{join .Imports " "}}`, mod+"internal/line", mod+"internal/slack", mod+"internal/web", mod+"internal/server")
	for pkg, imports := range adapters {
		for _, d := range imports {
			if d == mod+"internal/match" || d == mod+"internal/analysis" {
				t.Errorf("%s imports %s; adapters render bot.Answer and never see matching", pkg, d)
			}
		}
	}
}
