package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
)

// digestFixture reads a Digest from testdata/digest/name.json.
func digestFixture(t *testing.T, name string) Digest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "digest", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var d Digest
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func sampleRefusal() Refusal {
	return Refusal{Trigger: "watch", Version: "93ab0c1d2e3f4a5b", Running: "5c1e0b7d9a2f4e61", Check: "lint",
		Reason: "initiatives/sechack365.yaml:3: missing translation: name.ja\ninitiatives/x.yaml:9: <!channel> quoted by staff",
		At:     time.Date(2026, 12, 2, 3, 12, 8, 0, time.UTC)}
}

// TestGoldenDigest compares the digest and the refusal notice with
// testdata/golden (-update rewrites them), within Slack's limits.
func TestGoldenDigest(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    message
	}{
		{"digest", renderDigest(digestFixture(t, "week"))},
		{"digest_empty", renderDigest(Digest{Since: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})},
		{"digest_hostile", renderDigest(digestFixture(t, "hostile"))},
		{"refusal", renderRefusal(sampleRefusal())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range checkBlocks(tc.m.Blocks, maxMessageBlocks) {
				t.Error(p)
			}
			if tc.m.Text == "" || units(tc.m.Text) > maxFallbackText {
				t.Errorf("fallback text of %d units", units(tc.m.Text))
			}
			golden(t, tc.name, goldenMessage{Text: tc.m.Text, Blocks: slackapi.Blocks{BlockSet: tc.m.Blocks}})
		})
	}
}

// TestDigestEscapesUserText: questions and names in the digest never form
// a mention, a broadcast, a link or a code block of their own.
func TestDigestEscapesUserText(t *testing.T) {
	for _, m := range []message{renderDigest(digestFixture(t, "hostile")), renderRefusal(sampleRefusal())} {
		raw := rawJSON(slackapi.Blocks{BlockSet: m.Blocks}) + m.Text
		for _, bad := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U0ADMIN01>", "<https://evil", "<#C0STAFF01>", "<script>", "<img", "<b>"} {
			if strings.Contains(raw, bad) {
				t.Errorf("the digest carries %s unescaped", bad)
			}
		}
		if strings.Count(raw, "```") > 2 {
			t.Errorf("user text opens a code block: %d fences", strings.Count(raw, "```"))
		}
	}
}

func TestDayBars(t *testing.T) {
	jst := japan
	days := []DigestDay{
		{Date: time.Date(2026, 11, 30, 0, 0, 0, 0, jst), Questions: 40, NoMatch: 4},
		{Date: time.Date(2026, 12, 1, 0, 0, 0, 0, jst), Questions: 1},
		{Date: time.Date(2026, 12, 2, 0, 0, 0, 0, jst), Questions: 0},
	}
	want := "11/30 月 " + strings.Repeat("▇", 16) + "   40  4\n" +
		"12/01 火 ▇" + strings.Repeat(" ", 15) + "    1\n" +
		"12/02 水 " + strings.Repeat(" ", 16) + "    0"
	if got := dayBars(days); got != want {
		t.Errorf("dayBars =\n%s\nwant\n%s", got, want)
	}
	if got := dayBars([]DigestDay{{Date: days[0].Date}}); got != "11/30 月 "+strings.Repeat(" ", 16)+"    0" {
		t.Errorf("dayBars of a day without questions = %q", got)
	}
}

// digestSource is an Insights with a fixed digest, or a failure.
type digestSource struct {
	d     Digest
	err   error
	asked [][2]time.Time
}

func (s *digestSource) Digest(_ context.Context, since, until time.Time) (Digest, error) {
	s.asked = append(s.asked, [2]time.Time{since, until})
	return s.d, s.err
}

const staffChannel = "C0STAFF01"

func withStaff(src Insights) harnessOption {
	return func(c *Config) { c.StaffChannel, c.Insights = staffChannel, src }
}

func TestCommandInsights(t *testing.T) {
	week := digestFixture(t, "week")
	tests := []struct {
		name     string
		channel  string
		text     string
		src      *digestSource
		noStaff  bool
		wantType string
		want     string
	}{
		{"in the staff channel", staffChannel, "insights", &digestSource{d: week}, false, "in_channel", "量子暗号について知りたい"},
		{"in Japanese", staffChannel, "レポート", &digestSource{d: week}, false, "in_channel", "週間レポート"},
		{"upper case", staffChannel, " INSIGHTS ", &digestSource{d: week}, false, "in_channel", "週間レポート"},
		{"elsewhere", "C0CHAN001", "insights", &digestSource{d: week}, false, "ephemeral", "スタッフ用チャンネルでのみ"},
		{"in a DM", "D0DM00001", "insights", &digestSource{d: week}, false, "ephemeral", "only in the staff channel"},
		{"no staff channel", staffChannel, "insights", &digestSource{d: week}, true, "ephemeral", "only in the staff channel"},
		{"database down", staffChannel, "insights", &digestSource{err: errors.New("sqlite: disk I/O error")}, false, "ephemeral", "could not be made"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := withStaff(tt.src)
			if tt.noStaff {
				opt = func(*Config) {}
			}
			h := newHarness(t, nil, opt)
			body := withForm(t, withForm(t, h.fixture("commands/support.form"), "channel_id", tt.channel), "text", tt.text)
			w := h.command(body)
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d", w.Code)
			}
			typ, text, blocks := reply(t, w.Body.String())
			raw, _ := json.Marshal(blocks)
			if typ != tt.wantType || !strings.Contains(text+string(raw), tt.want) {
				t.Errorf("reply = %s %q %s; want %s with %q", typ, text, raw, tt.wantType, tt.want)
			}
			for _, p := range checkJSONBlocks(blocks, maxMessageBlocks) {
				t.Error(p)
			}
			if len(h.bot.asked()) != 0 {
				t.Errorf("the bot was asked %+v; insights are not a question", h.bot.asked())
			}
			if tt.wantType == "in_channel" {
				if len(tt.src.asked) != 1 || tt.src.asked[0][1].Sub(tt.src.asked[0][0]) != 7*24*time.Hour {
					t.Errorf("digest asked for %v; want the last seven days", tt.src.asked)
				}
			}
			if strings.Contains(h.logs.String(), "量子暗号") {
				t.Error("the log holds a question")
			}
		})
	}
}

// TestCommandInsightsSlow: a digest that takes longer than the quick
// reply goes to the response_url, for the channel to see.
func TestCommandInsightsSlow(t *testing.T) {
	src := &slowDigest{release: make(chan struct{}), d: digestFixture(t, "week")}
	h := newHarness(t, nil, withStaff(src))
	h.a.quick = 20 * time.Millisecond
	body := withForm(t, withForm(t, h.fixture("commands/support.form"), "channel_id", staffChannel), "text", "insights")
	if w := h.command(body); w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("ack = %d %q; want an empty 200", w.Code, w.Body)
	}
	close(src.release)
	h.drain()
	hooks := h.api.Calls("response_url")
	if len(hooks) != 1 || hooks[0].JSON["response_type"] != "in_channel" || len(hooks[0].Blocks(t)) == 0 {
		t.Fatalf("response_url posts %+v; want one digest in the channel", hooks)
	}
}

type slowDigest struct {
	release chan struct{}
	d       Digest
}

func (s *slowDigest) Digest(context.Context, time.Time, time.Time) (Digest, error) {
	<-s.release
	return s.d, nil
}

func TestPostStaff(t *testing.T) {
	h := newHarness(t, nil, withStaff(nil))
	if err := h.a.PostDigest(context.Background(), digestFixture(t, "week")); err != nil {
		t.Fatalf("PostDigest: %v", err)
	}
	if err := h.a.PostRefusal(context.Background(), sampleRefusal()); err != nil {
		t.Fatalf("PostRefusal: %v", err)
	}
	posts := h.api.Calls("chat.postMessage")
	if len(posts) != 2 {
		t.Fatalf("%d posts; want 2", len(posts))
	}
	for i, want := range []string{"週間レポート", "ナレッジの更新を見送りました"} {
		p := posts[i]
		if p.Form.Get("channel") != staffChannel || !strings.Contains(p.Text(), want) || len(p.Blocks(t)) == 0 || p.Auth != "Bearer "+testBotToken {
			t.Errorf("post %d: channel %s, text %q; want %s in the staff channel with blocks", i, p.Form.Get("channel"), p.Text(), want)
		}
	}

	none := newHarness(t, nil)
	if err := none.a.PostDigest(context.Background(), Digest{}); !errors.Is(err, ErrNoStaffChannel) {
		t.Errorf("PostDigest without a staff channel = %v; want ErrNoStaffChannel", err)
	}
	if n := len(none.api.All()); n != 0 {
		t.Errorf("%d calls to Slack without a staff channel", n)
	}
}

func TestStaffChannelID(t *testing.T) {
	for id, want := range map[string]bool{"C0STAFF01": true, "G0PRIVATE": true, "D0DM00001": false, "U0USER001": false, "#staff": false, "c0staff01": false, "": false} {
		if got := StaffChannelID(id); got != want {
			t.Errorf("StaffChannelID(%q) = %v; want %v", id, got, want)
		}
	}
	cfg := Config{Credentials: Credentials{SigningSecret: testSecret, BotToken: testBotToken}, StaffChannel: "#staff"}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "not a channel id") {
		t.Errorf("New with a channel name = %v; want a refusal", err)
	}
}
