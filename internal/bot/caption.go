package bot

import (
	"fmt"
	"maps"
)

// Caption names a part of an answer that every channel labels the same
// way: a field of a programme card, a section of the details, the
// contact points. The engine fills in the content; adapters lay it out
// with these words, so LINE, Slack and the web chat never drift apart.
type Caption string

// The captions.
const (
	CaptionOrganizations Caption = "organizations" // who runs the programme
	CaptionAudiences     Caption = "audiences"     // who it is for
	CaptionKinds         Caption = "kinds"         // seminar, contest …
	CaptionRegions       Caption = "regions"
	CaptionNextStep      Caption = "next_step"
	CaptionStatus        Caption = "status" // what is known now
	CaptionSeedText      Caption = "seed_text"
	CaptionNotes         Caption = "notes"
	CaptionFacts         Caption = "facts"
	CaptionOwner         Caption = "owner"
	CaptionSource        Caption = "source"
	CaptionAsOf          Caption = "as_of" // a format: %s is the date
	CaptionContacts      Caption = "contacts"
	CaptionPhone         Caption = "phone"
	CaptionWebsite       Caption = "website"
	CaptionFeedback      Caption = "feedback"    // the question above 👍 / 👎
	CaptionHelpful       Caption = "helpful"     // 👍
	CaptionNotHelpful    Caption = "not_helpful" // 👎
)

// captions are the words, Japanese then English.
var captions = map[Caption][2]string{
	CaptionOrganizations: {"実施主体", "Run by"},
	CaptionAudiences:     {"対象", "For"},
	CaptionKinds:         {"種類", "Type"},
	CaptionRegions:       {"地域", "Region"},
	CaptionNextStep:      {"次にできること", "Next step"},
	CaptionStatus:        {"現在の状況", "Status"},
	CaptionSeedText:      {"行動計画の記載", "In the action plan (Japanese)"},
	CaptionNotes:         {"注記", "Notes"},
	CaptionFacts:         {"確認済みの情報", "Verified facts"},
	CaptionOwner:         {"区分", "Owner"},
	CaptionSource:        {"出典", "Source"},
	CaptionAsOf:          {"%s時点", "as of %s"},
	CaptionContacts:      {"相談窓口", "Contact points"},
	CaptionPhone:         {"電話", "Phone"},
	CaptionWebsite:       {"ウェブサイト", "Website"},
	CaptionFeedback:      {"この回答は役に立ちましたか？", "Was this answer helpful?"},
	CaptionHelpful:       {"役に立った", "Helpful"},
	CaptionNotHelpful:    {"役に立たなかった", "Not helpful"},
}

// In returns the caption in l (Japanese for any language but English).
func (c Caption) In(l Lang) string {
	w := captions[c]
	if l == English {
		return w[1]
	}
	return w[0]
}

// AsOf says when something was seen: "2026-11時点", "as of 2026-11".
func AsOf(l Lang, seen string) string { return fmt.Sprintf(CaptionAsOf.In(l), seen) }

// Captions returns every caption in l, for a channel that lays answers
// out on the client (the web chat page).
func Captions(l Lang) map[Caption]string {
	out := make(map[Caption]string, len(captions))
	for c := range maps.Keys(captions) {
		out[c] = c.In(l)
	}
	return out
}

// FeedbackLabels are the labels of the 👍/👎 buttons in language l, the
// same wherever they are shown.
func FeedbackLabels(l Lang) (up, down string) {
	return "👍 " + CaptionHelpful.In(l), "👎 " + CaptionNotHelpful.In(l)
}
