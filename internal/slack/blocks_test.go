package slack

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares v, as indented JSON, with testdata/golden/name.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -run %s -update and review the diff\ngot:\n%s", path, t.Name(), got)
	}
}

// goldenMessage is a message as chat.postMessage receives it.
type goldenMessage struct {
	Text   string          `json:"text"`
	Blocks slackapi.Blocks `json:"blocks"`
}

func TestGoldenBlockKit(t *testing.T) {
	share := &bot.Action{Kind: bot.ActionAsk, Value: "助成金"}
	for _, tc := range []struct {
		name string
		a    bot.Answer
		o    renderOptions
	}{
		{"programmes", sampleProgrammes(), renderOptions{}},
		{"details_en", sampleDetails(), renderOptions{}},
		{"no_match", sampleNoMatch(), renderOptions{}},
		{"ephemeral_share", sampleProgrammes(), renderOptions{share: share}},
		{"shared", sampleProgrammes(), renderOptions{sharedBy: "U0USER001"}},
		{"hostile", sampleHostile(), renderOptions{}},
		{"urgent", sampleUrgent(), renderOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := render(tc.a, tc.o)
			golden(t, tc.name, goldenMessage{Text: m.Text, Blocks: slackapi.Blocks{BlockSet: m.Blocks}})
		})
	}
	t.Run("home", func(t *testing.T) {
		golden(t, "home", slackapi.HomeTabViewRequest{Type: slackapi.VTHomeTab, Blocks: slackapi.Blocks{BlockSet: renderHome(sampleHelp(bot.Japanese))}})
	})
}

func TestUrgentShowsContactsFirst(t *testing.T) {
	raw := rawJSON(render(sampleUrgent(), renderOptions{}).Blocks)
	contacts, card := strings.Index(raw, "相談窓口*"), strings.Index(raw, "1. 地域のセキュリティセミナー")
	if contacts < 0 || card < 0 || contacts > card {
		t.Errorf("contact points at %d, first card at %d; want the contacts first", contacts, card)
	}
	raw = rawJSON(render(sampleNoMatch(), renderOptions{}).Blocks)
	if strings.Index(raw, "相談窓口*") < strings.Index(raw, "困っている場合") {
		t.Error("no-match answer shows contacts before its text")
	}
}

func TestCardButtons(t *testing.T) {
	m := render(sampleProgrammes(), renderOptions{})
	raw, _ := json.Marshal(slackapi.Blocks{BlockSet: m.Blocks})
	var bs []map[string]any
	_ = json.Unmarshal(raw, &bs)
	var values, urls []string
	for _, b := range bs {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			el := e.(map[string]any)
			if v, _ := el["value"].(string); v != "" {
				values = append(values, v)
			}
			if u, _ := el["url"].(string); u != "" {
				urls = append(urls, u)
			}
		}
	}
	// Card one has details and its site, card two (no URL) details only.
	wantValues := []string{"sb1:details:mic-regional-lectures", "sb1:details:kansai-cybersecurity-network"}
	for i, w := range wantValues {
		if i >= len(values) || values[i] != w {
			t.Fatalf("button values = %q; want to start with %q", values, wantValues)
		}
	}
	if len(urls) != 1 || urls[0] != "https://www.soumu.go.jp/main_sosiki/cybersecurity/" {
		t.Errorf("url buttons = %q; want the one card with a URL", urls)
	}
	for _, v := range values {
		if _, err := bot.ParseAction(v); err != nil {
			t.Errorf("button value %q does not parse: %v", v, err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	a := sampleProgrammes()
	for b.Loop() {
		render(a, renderOptions{})
	}
}

// TestAppendBlocksMatchesEncodingJSON: the blocks of every sample answer,
// hostile and oversized ones included, encode to the same bytes through
// appendBlocks as through encoding/json.
func TestAppendBlocksMatchesEncodingJSON(t *testing.T) {
	for name, a := range map[string]bot.Answer{
		"programmes": sampleProgrammes(), "details": sampleDetails(), "no match": sampleNoMatch(),
		"help": sampleHelp(bot.English), "hostile": sampleHostile(), "huge": sampleHuge(), "urgent": sampleUrgent(),
	} {
		t.Run(name, func(t *testing.T) {
			sameEncoding(t, render(a, renderOptions{}).Blocks)
			sameEncoding(t, render(a, renderOptions{share: &bot.Action{Kind: bot.ActionAsk, Value: "x"}, sharedBy: "U0USER001"}).Blocks)
			sameEncoding(t, renderHome(a))
		})
	}
	if got, _ := appendBlocks(nil, nil); string(got) != "null" {
		t.Errorf("appendBlocks(nil) = %s; want null", got)
	}
}

func BenchmarkEncodeBlocks(b *testing.B) {
	blocks := render(sampleProgrammes(), renderOptions{}).Blocks
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(blocks); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("appendBlocks", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 32<<10)
		for b.Loop() {
			buf, _ = appendBlocks(buf[:0], blocks)
		}
	})
}

// TestAppendCardBlocksCountsText: the text appendCardBlocks counts as it
// renders is what blocksText counts of its blocks.
func TestAppendCardBlocksCountsText(t *testing.T) {
	for name, a := range map[string]bot.Answer{
		"programmes": sampleProgrammes(), "details": sampleDetails(), "hostile": sampleHostile(),
		"huge": sampleHuge(), "urgent": sampleUrgent(),
	} {
		for i, c := range a.Cards {
			for _, l := range []bot.Lang{bot.Japanese, bot.English} {
				blocks, n := appendCardBlocks(nil, l, c, i+1)
				if want := blocksText(blocks); n != want {
					t.Errorf("%s: appendCardBlocks(card %d, %s) counts %d units; blocksText = %d", name, i, l, n, want)
				}
			}
		}
	}
}
