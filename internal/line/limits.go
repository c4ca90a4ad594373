package line

import (
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// LINE's documented limits, from the Messaging API reference
// (developers.line.biz/en/reference/messaging-api/, read 2026-11). Each is
// enforced where messages are built, and tested in limits_test.go.
const (
	// "Send reply message": messages "Max: 5".
	maxMessagesPerReply = 5
	// Flex "Carousel": contents "Max: 12 bubbles".
	maxBubbles = 12
	// Flex "Carousel": "The maximum size of JSON data that defines a
	// carousel is 50 KB"; "Bubble": "… a bubble is 30 KB". Counted here in
	// decimal kilobytes, the stricter reading.
	maxCarouselBytes = 50_000
	maxBubbleBytes   = 30_000
	// "Quick reply": items "Max: 13 objects"; the label of an action on a
	// quick reply button: max 20 characters.
	maxQuickReplies    = 13
	maxQuickReplyLabel = 20
	// The label of an action on a Flex button: max 40 characters.
	maxButtonLabel = 40
	// Flex Message altText: "Max character limit: 1500".
	maxAltText = 1500
	// Text message text: "Max character limit: 5000".
	maxText = 5000
	// Postback action data and displayText: "Max character limit: 300".
	maxPostbackData = 300
	maxDisplayText  = 300
	// URI action uri: "Max character limit: 1000"; schemes http, https,
	// line and tel (we only link http and https).
	maxURI = 1000
)

// Timing rules of the reply API.
const (
	// "Reply tokens must be used within one minute after receiving the
	// webhook. Use beyond one minute isn't guaranteed to work." Retries stop
	// at replyWindow after receipt, leaving a margin for the network.
	replyTokenLife = time.Minute
	replyWindow    = replyTokenLife - 10*time.Second
	// The loading animation lasts 5 to 60 seconds in steps of 5 and ends
	// early when our reply arrives ("Display a loading animation").
	loadingSeconds = 20
	// A redelivered event's reply token lives 20 minutes from the event
	// (deploy/line/README.md); an older one would be refused with
	// "Invalid reply token", so it is counted and logged instead.
	redeliveredTokenLife = 20 * time.Minute
)

// The loading endpoint is limited to 100 requests a second per channel
// (Messaging API reference, "Rate limits"), against 2,000 for replies, and
// is wanted exactly when the queue backs up. The animation is optional:
// each replica shows it at most loadingRate times a second (bursts of
// loadingBurst), half of LINE's limit, so two replicas stay within it.
const (
	loadingRate  = 50
	loadingBurst = 50
)

// Rate-limit notices: one a minute a person at most, for up to
// maxNoticeKeys people at once.
const (
	noticeEvery   = time.Minute
	maxNoticeKeys = 100_000
)

// The groups remembered, to forget their members' conversations when the
// bot leaves: maxGroups groups of up to maxGroupMembers people asking.
const (
	maxGroups       = 10_000
	maxGroupMembers = 500
)

// maxBody bounds a webhook body. LINE documents no maximum; a batch of
// events with 5,000-character texts stays far below 1 MiB.
const maxBody = 1 << 20

// units counts s as LINE counts characters: UTF-16 code units ("Character
// counting in a text"). Action labels are counted in grapheme clusters,
// which are never more than code units, so a string within a limit in
// units is within it either way.
func units(s string) int {
	for i := 0; i < len(s); i++ { // ASCII (payloads, URLs) at a byte a unit
		if s[i] >= utf8.RuneSelf {
			n := i
			for _, r := range s[i:] {
				n += utf16.RuneLen(r)
			}
			return n
		}
	}
	return len(s)
}

// ellipsis marks cut text; it is one code unit.
const ellipsis = "…"

// cut shortens s to at most n code units, ending in an ellipsis when it
// cuts, and never splits a character.
func cut(s string, n int) string {
	if len(s) <= n || units(s) <= n { // no character takes more units than bytes
		return s
	}
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1 // invalid rune: written as U+FFFD, one unit
		}
		if used+w > n-1 {
			break
		}
		b.WriteRune(r)
		used += w
	}
	return strings.TrimRight(b.String(), " \n") + ellipsis
}
