package slack

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// escaper escapes the three characters Slack's mrkdwn gives a meaning to
// ("Escaping text": &, < and >). Escaping them keeps knowledge-base text
// from ever forming a mention, a channel-wide @here or a link.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }

// escapeTo writes s escaped to b.
func escapeTo(b *strings.Builder, s string) {
	if strings.ContainsAny(s, "&<>") {
		_, _ = escaper.WriteString(b, s) // a strings.Builder never fails
		return
	}
	b.WriteString(s)
}

// fitMarkupUnits is fitMarkup that also returns the units of what it
// returns, counted once.
func fitMarkupUnits(s string, max int) (string, int) {
	if n := units(s); n <= max {
		return s, n
	}
	s = fitMarkup(s, max)
	return s, units(s)
}

// fitMarkup shortens mrkdwn to at most max units. It prefers to drop whole
// trailing lines (so no link or bold run is cut in half); a first line
// that alone is too long is cut, never inside an escape such as &amp;.
func fitMarkup(s string, max int) string {
	if fits(s, max) {
		return s
	}
	room := max - units(ellipsis)
	if room <= 0 {
		return ""
	}
	// Drop trailing lines while the rest still says something.
	for {
		i := strings.LastIndexByte(s, '\n')
		if i <= 0 {
			break
		}
		s = strings.TrimRight(s[:i], " \n")
		if units(s)+1 <= room { // the line break before the ellipsis counts too
			return s + "\n" + ellipsis
		}
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := utf16.RuneLen(r)
		if r == utf8.RuneError {
			w++
		}
		if n+w > room {
			break
		}
		b.WriteRune(r)
		n += w
	}
	out := b.String()
	// Back off from an entity cut in half ("&am").
	if i := strings.LastIndexByte(out, '&'); i >= 0 && !strings.Contains(out[i:], ";") {
		out = out[:i]
	}
	return out + ellipsis
}

// link renders a URL as a mrkdwn link with a label, or "" when the URL is
// not a plain http(s) URL that mrkdwn can carry.
func link(raw, label string) string {
	if !webURL(raw) || units(raw) > maxButtonURL {
		return ""
	}
	return "<" + raw + "|" + escape(label) + ">"
}

// webURL reports whether s is an absolute http or https URL with nothing
// in it that would end a mrkdwn link early.
func webURL(s string) bool {
	if s == "" || strings.ContainsAny(s, "<>| \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// Incoming text: Slack escapes &, < and > and writes mentions, channels
// and links in angle brackets ("Formatting text for app surfaces").
var (
	reUserMention = regexp.MustCompile(`<@[A-Z0-9]+(?:\|[^>]*)?>`)
	reChannel     = regexp.MustCompile(`<#[A-Z0-9]+(?:\|([^>]*))?>`)
	reSpecial     = regexp.MustCompile(`<![^>]*>`)
	reLink        = regexp.MustCompile(`<((?:https?|mailto|tel):[^>|]*)(?:\|([^>]*))?>`)
	unescaper     = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// plainText turns a Slack message into the words a person typed: mentions
// (the bot's own first of all) removed, channel names and link labels kept,
// escapes undone.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") { // no mention, link or escape to undo
		return strings.Join(strings.Fields(s), " ")
	}
	s = reUserMention.ReplaceAllString(s, " ")
	s = reChannel.ReplaceAllString(s, "#$1")
	s = reSpecial.ReplaceAllString(s, " ")
	s = reLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := reLink.FindStringSubmatch(m)
		if sub[2] != "" {
			return sub[2]
		}
		return sub[1]
	})
	s = unescaper.Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
