package admin_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/admin"
	"github.com/supportbot/supportbot/internal/bounds"
)

// FuzzPage: whatever people asked and whatever the staff named a
// programme, the admin page renders within the time and memory budget
// (internal/bounds) as valid UTF-8 holding only the page's own elements,
// no event handler or src attribute, and one style sheet: the text never
// becomes markup, in the lists, the tables or the SVG labels.
//
//	go test ./internal/admin -run '^$' -fuzz FuzzPage -fuzztime 60s
func FuzzPage(f *testing.F) {
	for _, p := range payloads {
		f.Add(p, "SecHack365")
	}
	f.Add("量子暗号について知りたい", "<b onmouseover=alert(1)>制度</b>")
	f.Add("a\u202eb\u200bc\x00\x1b[31m", "\xff\xfe")
	f.Add(strings.Repeat("長い質問", 2000), strings.Repeat("&", 500))
	f.Fuzz(func(t *testing.T, question, name string) {
		r := reportFixture(t)
		r.Unanswered[0].Text = question
		r.Unanswered[1].Examples = []string{question, name}
		r.Programmes[0].Name = admin.Names{JA: name, EN: name}
		r.Categories[0].Name = admin.Names{JA: question, EN: name}
		r.Channels[0].ID = question
		f := newFixture(t, admin.Config{Insights: &insights{report: r}})
		l := "ja"
		if len(question)%2 == 1 {
			l = "en"
		}
		var code int
		var body string
		if err := bounds.Within("GET /admin/", func() { code, body, _ = get(t, f, "/admin/?lang="+l, nil) }); err != nil {
			t.Fatalf("%v for a question of %d bytes", err, len(question))
		}
		if code != 200 || !utf8.ValidString(body) {
			t.Fatalf("GET /admin/ = %d, valid UTF-8 %v", code, utf8.ValidString(body))
		}
		if bad := badMarkup(body); len(bad) > 0 {
			t.Fatalf("question %q, name %q: the page holds %s", question, name, strings.Join(bad, "; "))
		}
	})
}
