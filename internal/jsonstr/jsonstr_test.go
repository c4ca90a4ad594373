package jsonstr_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/supportbot/supportbot/internal/jsonstr"
)

func TestAppendStringIsEncodingJSON(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "<@U0USER001> <https://example.jp/?a=1&b=2|link>",
		"中小企業向け 🔐\n\t\r\b\f", "\u2028 and \u2029", "\xff\xfe invalid", "a\x00b\x1fc\x7f", string(all),
	} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonstr.AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s; want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "<&>", "\u2028", "\xff", "日本語\n", "前\u2029後\u2028", "\xe2\x80", "é\xe2\x80\xa8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonstr.AppendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("AppendString(%q) = %s; want x%s", s, got, want)
		}
	})
}

func BenchmarkAppendString(b *testing.B) {
	for _, s := range []string{
		"中小企業の情報セキュリティ対策を支援する制度です。\n詳しくは公式サイトをご覧ください。",
		"Support for small businesses: security checks & advice <free>",
	} {
		b.Run(fmt.Sprint(len(s)), func(b *testing.B) {
			var buf []byte
			for b.Loop() {
				buf = jsonstr.AppendString(buf[:0], s)
			}
		})
	}
}

func ExampleAppendField() {
	b := []byte("{")
	b = jsonstr.AppendField(b, `"text":`, "<@U0USER001> さん、こんにちは\n")
	b = append(b, '}')
	fmt.Println(string(b))
	// Output: {"text":"\u003c@U0USER001\u003e さん、こんにちは\n"}
}
