package bot

import (
	"errors"
	"fmt"
	"strings"
)

// ActionKind names what a button or platform event asks of the bot.
type ActionKind string

// The actions. Value carries the argument where one is needed.
const (
	ActionDetails     ActionKind = "details"     // Value: initiative id
	ActionMore        ActionKind = "more"        // the next results of the last question
	ActionCategory    ActionKind = "category"    // Value: category id
	ActionLang        ActionKind = "lang"        // Value: "ja" or "en"
	ActionMenu        ActionKind = "menu"        // the category menu
	ActionHelp        ActionKind = "help"        // how to ask
	ActionAsk         ActionKind = "ask"         // Value: a question to ask as if typed
	ActionTrouble     ActionKind = "trouble"     // "I'm in trouble now": contact points first
	ActionGreet       ActionKind = "greet"       // a person added the bot (LINE follow)
	ActionIntro       ActionKind = "intro"       // the bot joined a group or channel
	ActionUnsupported ActionKind = "unsupported" // a sticker, image, audio or location
	ActionRefine      ActionKind = "refine"      // Value: a choice of an answer that asked back; refines the question asked
	// ActionFeedback is a 👍 or 👎 on an answer. Value is the ballot the
	// button carries (FeedbackValue). The question log checks and records
	// it, then hands the engine only the vote ("up", "down"), or "" when
	// it refused the ballot.
	ActionFeedback ActionKind = "feedback"
	// ActionSlowDown: the person wrote faster than their rate limit allows;
	// adapters ask for a short notice in the person's language, once a
	// burst.
	ActionSlowDown ActionKind = "slow_down"
	// The conversation with a person (internal/handoff). ActionHandoff
	// asks for one: the engine shows what would be shared, and with whom,
	// and asks for consent. ActionConsent agrees to it (the desk opens a
	// ticket); ActionDecline cancels before anything is shared. ActionEnd
	// ends an open one. ActionRate rates the help after it ended; Value is
	// RateValue's.
	ActionHandoff ActionKind = "handoff"
	ActionConsent ActionKind = "consent"
	ActionDecline ActionKind = "decline"
	ActionEnd     ActionKind = "end"
	ActionRate    ActionKind = "rate"
)

var knownActions = map[ActionKind]bool{
	ActionDetails: true, ActionMore: true, ActionCategory: true, ActionLang: true,
	ActionMenu: true, ActionHelp: true, ActionAsk: true, ActionTrouble: true,
	ActionGreet: true, ActionIntro: true, ActionUnsupported: true, ActionRefine: true, ActionFeedback: true, ActionSlowDown: true,
	ActionHandoff: true, ActionConsent: true, ActionDecline: true, ActionEnd: true, ActionRate: true,
}

// Action is a request a button carries back to the bot.
type Action struct {
	Kind  ActionKind `json:"kind"`
	Value string     `json:"value,omitempty"`
}

// MaxPayload bounds an encoded action. LINE postback data allows 300
// characters and Slack button values 2,000; the smaller rules.
const MaxPayload = 300

const payloadPrefix = "sb1:"

// ErrBadPayload is returned by ParseAction for data the bot did not make.
var ErrBadPayload = errors.New("bot: not an action payload")

// Payload encodes the action for a postback or button value
// ("sb1:details:sechack365"). Values are cut so the payload fits MaxPayload.
func (a Action) Payload() string {
	if a.Value == "" {
		if p, ok := bare[a.Kind]; ok {
			return p
		}
		return payloadPrefix + string(a.Kind)
	}
	v := a.Value
	if room := MaxPayload - len(payloadPrefix) - len(a.Kind) - 1; len(v) > room {
		v = truncateUTF8(v, room)
	}
	// One concatenation, one allocation: every button and quick reply of
	// every answer has a payload (15 an event under cmd/loadgen).
	return payloadPrefix + string(a.Kind) + ":" + v
}

// bare are the payloads of the known actions without a value, made once.
var bare = func() map[ActionKind]string {
	m := make(map[ActionKind]string, len(knownActions))
	for k := range knownActions {
		m[k] = payloadPrefix + string(k)
	}
	return m
}()

// ParseAction decodes a payload made by Payload.
func ParseAction(payload string) (Action, error) {
	rest, ok := strings.CutPrefix(payload, payloadPrefix)
	if !ok || len(payload) > MaxPayload {
		return Action{}, ErrBadPayload
	}
	kind, value, _ := strings.Cut(rest, ":")
	a := Action{Kind: ActionKind(kind), Value: value}
	if !knownActions[a.Kind] {
		return Action{}, fmt.Errorf("%w: unknown action %q", ErrBadPayload, kind)
	}
	return a, nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
