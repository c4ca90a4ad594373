package publish

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/internal/bounds"
	"github.com/supportbot/supportbot/knowledge"
)

// FuzzCheckYAML: on any document the YAML check returns within the time
// and memory budget (internal/bounds), and a document it accepts decodes
// within the budget too — its aliases cannot expand it past the limits
// however they are combined (nested, merged with <<, cyclic).
//
//	go test ./internal/publish -run '^$' -fuzz '^FuzzCheckYAML$' -fuzztime 60s
func FuzzCheckYAML(f *testing.F) {
	shipped, _ := knowledge.FS.ReadFile("initiatives/sechack365.yaml")
	for _, seed := range []string{
		string(shipped),
		"a: &a [lol, lol]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n",
		"base: &base {x: 1, y: 2}\nderived:\n  <<: *base\n  z: 3\n",
		"a: &a [x, *a]\n",
		strings.Repeat("[", 40) + strings.Repeat("]", 40),
		"key: *undefined\n",
		"",
		"{",
	} {
		f.Add([]byte(seed))
	}
	lim := DefaultLimits()
	f.Fuzz(func(t *testing.T, data []byte) {
		var err error
		if over := bounds.Within("checkYAML", func() { err = checkYAML("f.yaml", data, lim) }); over != nil {
			t.Fatal(over)
		}
		if err != nil {
			return
		}
		var v any
		if over := bounds.Within("decoding a document checkYAML accepted", func() { _ = yaml.Unmarshal(data, &v) }); over != nil {
			t.Fatal(over)
		}
	})
}
