package slack

import (
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Slack's documented limits (docs.slack.dev, read 2026-11). Each is
// enforced where blocks and messages are built and tested in
// limits_test.go; FuzzRender checks them for arbitrary answers.
const (
	// reference/block-kit/blocks: "You can include up to 50 blocks in each
	// message, and 100 blocks in modals or Home tabs."
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	// Header block: text "Maximum length for the text in this field is
	// 150 characters."
	maxHeaderText = 150
	// Section block: text "Maximum length for the text in this field is
	// 3000 characters"; fields "Maximum number of items is 10. Maximum
	// length for the text in each item is 2000 characters."
	maxSectionText = 3000
	maxFields      = 10
	maxFieldText   = 2000
	// Context block: elements "Maximum number of items is 10"; each is a
	// text object, whose text is at most 3000 characters.
	maxContextElements = 10
	maxContextText     = 3000
	// Actions block: "There is a maximum of 25 elements in each action
	// block."
	maxActionElements = 25
	// Button element: text "Maximum length for the text in this field is
	// 75 characters"; action_id 255; url 3000; value "Maximum length for
	// this field is 2000 characters."
	maxButtonText  = 75
	maxActionID    = 255
	maxButtonURL   = 3000
	maxButtonValue = 2000
	// chat.postMessage, "Truncating content": "For best results, limit the
	// number of characters in the text field to 4,000 characters … Slack
	// will truncate messages containing more than 40,000 characters." The
	// fallback keeps to the first, which implies the second.
	maxFallbackText = 4000
	maxMessageText  = 40000
	// Not documented: chat.postMessage answers msg_blocks_too_long when
	// the text of all a message's blocks together passes about 13,000
	// characters (13,297 with markdown blocks alone, less with other
	// blocks: slackapi/bolt-js#2509), although every block is within its
	// own limit. Messages keep to 12,000 across their blocks.
	maxBlocksText = 12000
)

// Timing rules.
const (
	// "Your app should respond to the event request with an HTTP 2xx within
	// three seconds" (Events API); slash commands and interactions likewise
	// want their acknowledgement within 3 s. A slash command's answer that
	// is ready within quickReply goes back in the acknowledgement itself;
	// a slower one is sent to its response_url.
	ackDeadline = 3 * time.Second
	quickReply  = 2 * time.Second
	// Verifying requests from Slack: "If the timestamp is more than five
	// minutes from local time, it could be a replay attack."
	replayWindow = 5 * time.Minute
	// interactivity/handling-user-interaction#message_responses: "You can
	// use response_url to publish up to 5 times within 30 minutes."
	responseURLUses = 5
	responseURLLife = 30 * time.Minute
)

// maxBody bounds a request body. Slack documents no maximum; the largest
// we receive is a block_actions payload that repeats the message or Home
// view it came from (at most 100 blocks of our own making), far below
// 1 MiB even with every character escaped twice (JSON in a form field).
const maxBody = 1 << 20

// units counts s in UTF-16 code units. Slack counts "characters" without
// saying how; code units are never fewer than code points or grapheme
// clusters, so a string within a limit in units is within it however
// Slack counts.
func units(s string) int {
	for i := 0; i < len(s); i++ { // ASCII (ids, payloads, URLs) at a byte a unit
		if s[i] >= utf8.RuneSelf {
			return i + unitsFrom(s[i:])
		}
	}
	return len(s)
}

func unitsFrom(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
		if r == utf8.RuneError {
			n++ // an invalid byte may be sent as U+FFFD; count it generously
		}
	}
	return n
}

// fits reports whether s is within max units, without counting when its
// length alone says so: no byte counts for more than two units.
func fits(s string, max int) bool {
	return 2*len(s) <= max || units(s) <= max
}

// ellipsis marks text that was cut to fit a limit.
const ellipsis = "…"

// cut returns s shortened to at most max units, ending in an ellipsis when
// anything was removed. It never splits a character.
func cut(s string, max int) string {
	if fits(s, max) {
		return s
	}
	if max <= 0 {
		return ""
	}
	room := max - units(ellipsis)
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
	return strings.TrimRight(b.String(), " \n") + ellipsis
}
