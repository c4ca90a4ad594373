package bot

import "testing"

func TestButtonEqual(t *testing.T) {
	ask := func(v string) *Action { return &Action{Kind: ActionAsk, Value: v} }
	base := Button{Label: "詳しく", Action: ask("x"), URL: "https://example.org/"}
	tests := []struct {
		name string
		o    Button
		want bool
	}{
		{"same", base, true},
		{"equal action, another pointer", Button{Label: "詳しく", Action: ask("x"), URL: "https://example.org/"}, true},
		{"label", Button{Label: "more", Action: ask("x"), URL: "https://example.org/"}, false},
		{"link", Button{Label: "詳しく", Action: ask("x"), URL: "https://example.org/y"}, false},
		{"action value", Button{Label: "詳しく", Action: ask("y"), URL: "https://example.org/"}, false},
		{"no action", Button{Label: "詳しく", URL: "https://example.org/"}, false},
	}
	for _, tt := range tests {
		if got := base.Equal(tt.o); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
		if got := tt.o.Equal(base); got != tt.want {
			t.Errorf("%s, reversed: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(Button{Label: "a"}).Equal(Button{Label: "a"}) {
		t.Error("two buttons without action are not equal")
	}
}
