package redact

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/bounds"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain Japanese", "中小企業向けの支援を教えて", "中小企業向けの支援を教えて"},
		{"plain English", "support for small businesses", "support for small businesses"},
		{"email", "連絡先は taro.yamada+cyber@example.co.jp です", "連絡先は [email] です"},
		{"full-width email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐに送って", "[email]に送って"},
		{"mobile", "090-1234-5678に電話ください", "[phone]に電話ください"},
		{"mobile unseparated", "09012345678", "[phone]"},
		{"Tokyo", "03-1234-5678", "[phone]"},
		{"area code in brackets", "(03) 1234-5678", "[phone]"},
		{"full-width brackets", "０３（１２３４）５６７８", "[phone]"},
		{"full-width hyphens", "０９０－１２３４－５６７８", "[phone]"},
		{"long-vowel mark as hyphen", "090ー1234ー5678", "[phone]"},
		{"toll free", "0120-123-456", "[phone]"},
		{"international", "+81 90-1234-5678", "[phone]"},
		{"international US", "call +1 415 555 0100 now", "call [phone] now"},
		{"card", "カード番号 4111 1111 1111 1111 が使われた", "カード番号 [number] が使われた"},
		{"card hyphens", "4111-1111-1111-1111", "[number]"},
		{"account", "口座番号1234567に振り込んだ", "口座番号[number]に振り込んだ"},
		{"my number", "マイナンバー 1234 5678 9012", "マイナンバー [number]"},
		{"postal code", "〒123-4567", "〒[number]"},
		{"url with query", "https://example.com/login?user=taro&token=abc が届いた", "[url] が届いた"},
		{"url with fragment", "https://example.com/cb#access_token=xyz", "[url]"},
		{"url ends at Japanese punctuation", "http://bad.example/?id=1。怪しい", "[url]。怪しい"},
		{"url without query stays", "https://www.ipa.go.jp/security/ は役に立つ", "https://www.ipa.go.jp/security/ は役に立つ"},
		{"www with query", "www.example.jp/a?b=c", "[url]"},
		{"emergency numbers stay", "110番と#9110と189", "110番と#9110と189"},
		{"years and counts stay", "2019年度に従業員5人の会社", "2019年度に従業員5人の会社"},
		{"date stays", "2026-12-01に被害", "2026-12-01に被害"},
		{"money stays", "1,000,000円の請求", "1,000,000円の請求"},
		{"six digits stay", "認証コード 123456", "認証コード 123456"},
		{"digits in a word", "会員ID AB12345678", "会員ID AB[number]"},
		{"two numbers", "090-1111-2222 か 03-3333-4444", "[phone] か [phone]"},
		{"several kinds", "a@b.jp 09011112222 https://x.jp/?q=1 12345678", "[email] [phone] [url] [number]"},
		{"lone plus", "C++ and +1", "C++ and +1"},
		{"bracket alone", "(株)と（2019）", "(株)と（2019）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

var (
	longDigits = regexp.MustCompile(`[0-9０-９]{7,}`)
	anEmail    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+\.[A-Za-z0-9\-]+`)
)

// FuzzText checks the properties the question log relies on: redacting
// twice changes nothing, no long run of digits or e-mail address is left,
// valid UTF-8 stays valid, text without digits, at signs or URLs is left
// alone, and any input is redacted within the time and memory budget.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"090-1234-5678", "taro@example.jp", "https://a.jp/?x=1", "4111 1111 1111 1111",
		"０９０－１２３４－５６７８", "(03) 1234-5678", "+81 3 1234 5678", "2026-12-01", "中小企業向けの支援",
		"1 2 3 4 5 6 7 8", "((((1", "+", "１２３４５６７", "a@b.c@d.e", "http://x?", "\xff1234567",
	} {
		f.Add(s)
	}
	// Hostile inputs of 100 KB: the log cuts questions far shorter, but
	// Text must stay linear whatever it is given.
	for _, unit := range []string{"a@", "a@b.", "1 ", "1-", "+(", "http://", "www.a?", "０－"} {
		f.Add(strings.Repeat(unit, 100_000/len(unit)))
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := bounds.Within("Text", func() { got = Text(s) }); err != nil {
			t.Fatalf("%v (input of %d bytes)", err, len(s))
		}
		if again := Text(got); again != got {
			t.Fatalf("Text(Text(%q)) = %q; want %q", s, again, got)
		}
		if m := longDigits.FindString(got); m != "" {
			t.Fatalf("Text(%q) = %q keeps the digits %q", s, got, m)
		}
		if m := anEmail.FindString(got); m != "" {
			t.Fatalf("Text(%q) = %q keeps the address %q", s, got, m)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q is not valid UTF-8", s, got)
		}
		if !strings.ContainsAny(s, "0123456789０１２３４５６７８９@＠") && !strings.Contains(strings.ToLower(s), "http") && !strings.Contains(strings.ToLower(s), "www.") && got != s {
			t.Fatalf("Text(%q) = %q; want it unchanged", s, got)
		}
	})
}
