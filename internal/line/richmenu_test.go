package line

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/knowledge"
)

// TestRichMenu holds deploy/line/richmenu.json to LINE's rich menu object
// rules and to the bot: one area per category of the taxonomy plus
// 困ったとき and 使い方, each a postback the bot reads back.
func TestRichMenu(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "line", "richmenu.json"))
	if err != nil {
		t.Fatal(err)
	}
	type rect struct{ X, Y, Width, Height int }
	var menu struct {
		Size        struct{ Width, Height int }
		Selected    bool
		Name        string
		ChatBarText string `json:"chatBarText"`
		Areas       []struct {
			Bounds rect
			Action struct {
				Type        string
				Label       string
				Data        string
				DisplayText string `json:"displayText"`
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&menu); err != nil {
		t.Fatalf("richmenu.json: %v", err)
	}
	// Rich menu object: width 800 to 2500 px, height at least 250 px,
	// width/height at least 1.45; name max 300 characters; chatBarText
	// max 14; areas max 20.
	w, h := menu.Size.Width, menu.Size.Height
	if w < 800 || w > 2500 || h < 250 || float64(w)/float64(h) < 1.45 {
		t.Errorf("size %dx%d outside LINE's rules", w, h)
	}
	if n := units(menu.Name); n == 0 || n > 300 {
		t.Errorf("name of %d characters; want 1 to 300", n)
	}
	if n := units(menu.ChatBarText); n == 0 || n > 14 {
		t.Errorf("chatBarText %q of %d characters; want 1 to 14", menu.ChatBarText, n)
	}
	if n := len(menu.Areas); n == 0 || n > 20 {
		t.Errorf("%d areas; want 1 to 20", n)
	}

	want := map[string]string{} // payload → label
	var tax struct {
		Categories []struct {
			ID    string
			Label struct{ JA string }
		}
	}
	tb, err := knowledge.FS.ReadFile("taxonomy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(tb, &tax); err != nil {
		t.Fatal(err)
	}
	for _, c := range tax.Categories {
		want[bot.Action{Kind: bot.ActionCategory, Value: c.ID}.Payload()] = c.Label.JA
	}
	want[bot.Action{Kind: bot.ActionTrouble}.Payload()] = "困ったとき"
	want[bot.Action{Kind: bot.ActionHelp}.Payload()] = "使い方"

	covered := make([][]bool, h)
	for i := range covered {
		covered[i] = make([]bool, w)
	}
	for _, a := range menu.Areas {
		b := a.Bounds
		if b.X < 0 || b.Y < 0 || b.Width <= 0 || b.Height <= 0 || b.X+b.Width > w || b.Y+b.Height > h {
			t.Errorf("area %+v outside the %dx%d menu", b, w, h)
			continue
		}
		for y := b.Y; y < b.Y+b.Height; y++ {
			for x := b.X; x < b.X+b.Width; x++ {
				if covered[y][x] {
					t.Fatalf("area %+v overlaps another at (%d,%d)", b, x, y)
				}
				covered[y][x] = true
			}
		}
		act := a.Action
		if act.Type != "postback" {
			t.Errorf("area %q: action %s; want postback", act.Label, act.Type)
		}
		if _, err := bot.ParseAction(act.Data); err != nil {
			t.Errorf("area %q: data %q: %v", act.Label, act.Data, err)
		}
		label, ok := want[act.Data]
		if !ok {
			t.Errorf("area %q: data %q is not a category, trouble or help", act.Label, act.Data)
		}
		if act.Label != label || act.DisplayText != label {
			t.Errorf("area for %s: label %q, displayText %q; want %q", act.Data, act.Label, act.DisplayText, label)
		}
		if units(act.Label) > 20 || units(act.DisplayText) > maxDisplayText || units(act.Data) > maxPostbackData {
			t.Errorf("area %q over LINE's limits", act.Label)
		}
		delete(want, act.Data)
	}
	for data, label := range want {
		t.Errorf("no area for %s (%s)", label, data)
	}
}
