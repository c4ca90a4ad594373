package jsonscan

import (
	"encoding/json"
	"testing"
)

func TestSkip(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{`{"a":[1,-0,2.5e-3,true,false,null,"x",{}],"b":{"c":[]}}`, true},
		{` "日本語" `, true},
		{`"a\"b"`, false}, // an escape: given up, not wrong
		{`{"a":1,}`, false}, {`[1,]`, false}, {`01`, false}, {`1.`, false}, {`1e`, false}, {`-`, false},
		{`tru`, false}, {`{"a" 1}`, false}, {`{1:2}`, false}, {"\"\xff\"", false}, {"\"a\x01\"", false},
		{`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`, false},
	} {
		s := New([]byte(tt.in))
		if got := s.Skip() && s.End(); got != tt.ok {
			t.Errorf("Skip(%s) = %v; want %v", tt.in, got, tt.ok)
		}
	}
}

func TestInt(t *testing.T) {
	for _, tt := range []struct {
		in   string
		bits int
		want int64
		ok   bool
	}{
		{"12", 64, 12, true}, {"-0", 64, 0, true}, {"2147483647", 32, 2147483647, true}, {"2147483648", 32, 0, false},
		{"1.0", 64, 0, false}, {"1e3", 64, 0, false}, {"01", 64, 0, false}, {`"1"`, 64, 0, false},
	} {
		got, ok := New([]byte(tt.in)).Int(tt.bits)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("Int(%s, %d) = %d, %v; want %d, %v", tt.in, tt.bits, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzSkip: what the scanner reads whole is valid JSON.
func FuzzSkip(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,true,null,"x"]}`, `[]`, `-0.1E+2`, `"日本"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := New(b)
		if s.Skip() && s.End() && !json.Valid(b) {
			t.Fatalf("Skip read %q whole; encoding/json finds it invalid", b)
		}
	})
}
