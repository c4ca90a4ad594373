package slack

import (
	"bytes"
	"net/url"
	"testing"
)

func TestAppendQueryEscapeIsQueryEscape(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, s := range []string{
		"", "plain", "a b&c=d+e%f", `{"type":"section","text":{"type":"mrkdwn","text":"*中小企業* 向け"}}`,
		"絵文字 🔐 and <@U0USER001>", "\xff\xfe invalid", string(all),
	} {
		var buf bytes.Buffer
		appendQueryEscape(&buf, s)
		if got, want := buf.String(), url.QueryEscape(s); got != want {
			t.Errorf("appendQueryEscape(%q) = %q; want %q", s, got, want)
		}
		buf.Reset()
		appendQueryEscape(&buf, []byte(s))
		if got, want := buf.String(), url.QueryEscape(s); got != want {
			t.Errorf("appendQueryEscape([]byte(%q)) = %q; want %q", s, got, want)
		}
	}
}

func BenchmarkAppendQueryEscape(b *testing.B) {
	blocks := bytes.Repeat([]byte(`{"type":"section","text":{"type":"mrkdwn","text":"*中小企業の情報セキュリティ* 向けの支援 (IPA)"}},`), 60)
	var buf bytes.Buffer
	b.SetBytes(int64(len(blocks)))
	for b.Loop() {
		buf.Reset()
		appendQueryEscape(&buf, blocks)
	}
}
