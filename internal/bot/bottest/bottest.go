// Package bottest checks the domain's contracts in tests: that an answer
// is well formed, whichever engine or adapter produced or carried it.
package bottest

import (
	"fmt"
	"reflect"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/bot"
)

// Problems lists what is wrong with an answer: every string valid
// UTF-8, a language and a kind, a leading text, cards only when the bot is
// confident, every card citing its sources, totals that add up, and every
// button and suggestion a payload that fits bot.MaxPayload and parses
// back to the same action, and feedback buttons only on an answer with an
// id and programmes, each a ballot for that answer.
func Problems(a bot.Answer) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	walkStrings(reflect.ValueOf(a), "answer", func(path, s string) {
		if !utf8.ValidString(s) {
			bad("%s = %q is not valid UTF-8", path, s)
		}
	})
	if !a.Lang.Valid() {
		bad("lang %q", a.Lang)
	}
	if a.Kind == "" {
		bad("no kind")
	}
	switch {
	case a.Silent() && (a.Text != "" || len(a.Cards)+len(a.Suggestions)+len(a.Contacts) > 0):
		bad("a relayed answer says something")
	case !a.Silent() && a.Text == "":
		bad("empty text")
	}
	if len(a.Cards) > 0 && !a.Confident {
		bad("%d cards but not confident", len(a.Cards))
	}
	if a.Offset < 0 || a.Total < a.Offset+len(a.Cards) && a.Kind != bot.KindDetails {
		bad("total %d, offset %d and %d cards do not add up", a.Total, a.Offset, len(a.Cards))
	}
	checkAction := func(where string, act bot.Action) {
		p := act.Payload()
		if len(p) > bot.MaxPayload {
			bad("%s: payload of %d bytes; the limit is %d", where, len(p), bot.MaxPayload)
		}
		if got, err := bot.ParseAction(p); err != nil || got != act {
			bad("%s: ParseAction(%q) = %+v, %v; want %+v", where, p, got, err, act)
		}
	}
	for i, c := range a.Cards {
		if c.ID == "" || c.Title == "" {
			bad("card %d without an id or title", i)
		}
		if len(c.Sources) == 0 {
			bad("card %d (%s) cites no source", i, c.ID)
		}
		for j, btn := range c.Buttons {
			switch {
			case btn.Label == "":
				bad("card %d button %d without a label", i, j)
			case (btn.Action == nil) == (btn.URL == ""):
				bad("card %d button %d: want an action or a URL", i, j)
			case btn.Action != nil:
				checkAction(fmt.Sprintf("card %d button %d", i, j), *btn.Action)
			}
		}
	}
	for i, s := range a.Suggestions {
		if s.Label == "" {
			bad("suggestion %d without a label", i)
		}
		checkAction(fmt.Sprintf("suggestion %d", i), s.Action)
	}
	if f := a.Feedback; f != nil {
		if a.ID == "" || !a.InvitesFeedback() {
			bad("feedback buttons on an answer without an id or without programmes")
		}
		for name, act := range map[string]bot.Action{"up": f.Up, "down": f.Down} {
			checkAction("feedback "+name, act)
			if v, id, _, err := bot.ParseBallot(act.Value); act.Kind != bot.ActionFeedback || err != nil || string(v) != name || id != a.ID {
				bad("feedback %s = %+v; want a ballot for answer %q", name, act, a.ID)
			}
		}
	}
	return problems
}

// walkStrings calls fn with every string reachable from v.
func walkStrings(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	}
}
