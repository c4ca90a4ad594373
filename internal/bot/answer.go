package bot

import "context"

// Lang is a reply language.
type Lang string

// The bot's languages.
const (
	Japanese Lang = "ja"
	English  Lang = "en"
)

// Valid reports whether l is a language the bot speaks.
func (l Lang) Valid() bool { return l == Japanese || l == English }

// Question is one turn from a person: a message or a tapped button.
type Question struct {
	// Conversation identifies who is talking, scoped by channel
	// ("line:U…", "slack:T…:U…", "web:…"). It keys dialog state and is never
	// logged as is.
	Conversation string
	// Text is what the person wrote. With an Action it is only the words
	// the action answers (the message a rate-limit notice replies to),
	// read for their language.
	Text string
	// Action is a tapped button, postback or platform event (follow, join,
	// sticker) instead of text.
	Action *Action
	// Lang is a hint from the platform (the user's locale); empty to detect
	// from the text. A language the person chose in the conversation wins.
	Lang Lang
	// Locale looks up the person's language on the platform (LINE's
	// profile, Slack's locale) when neither the conversation, the text nor
	// Lang says which to answer in: a first greeting, a tapped menu, the
	// Slack Home tab. It may be nil. It returns "" when the platform does
	// not say or does not answer in time, and never blocks for long (the
	// adapters bound it). The engine calls it at most once a turn, and
	// only when it needs it, so a question whose words show its language
	// costs no platform call.
	Locale func(ctx context.Context) Lang `json:"-"`
	// Channel names the adapter ("line", "slack", "web", "cli") for metrics.
	Channel string
	// Attachments counts the files or images that came with Text (a
	// screenshot of a suspicious e-mail, say). The bot reads only the
	// text, and says so.
	Attachments int
	// ID is the platform's id of the message or event, when it has one
	// (LINE's webhookEventId): a message relayed to the staff is stored
	// under it, so a redelivered event is relayed once. Never logged.
	ID string
	// Desk says where the conversation stands with the staff. The handoff
	// desk sets it on the way to the engine; adapters leave it nil.
	Desk *Desk
}

// Kind says what sort of answer the bot gives; adapters may style by it.
type Kind string

// The kinds of answer.
const (
	KindGreeting    Kind = "greeting"    // hello: what the bot does, the category menu
	KindHelp        Kind = "help"        // how to ask, the category menu
	KindProgrammes  Kind = "programmes"  // initiatives that fit the question
	KindCategory    Kind = "category"    // the initiatives of one category
	KindDetails     Kind = "details"     // one initiative in full
	KindUrgent      Kind = "urgent"      // trouble now: contact points and consultation programmes first
	KindNoMatch     Kind = "no_match"    // nothing fits: said plainly, categories and contact points offered
	KindClarify     Kind = "clarify"     // on topic but unclear: best guesses and a question back, the choices as suggestions
	KindLanguage    Kind = "language"    // the reply language was switched
	KindThanks      Kind = "thanks"      // thanks, goodbye
	KindUnsupported Kind = "unsupported" // a sticker, image or file: a hint to write instead
	KindIntro       Kind = "intro"       // the bot joined a group: a short introduction
	KindFeedback    Kind = "feedback"    // the reply to a 👍 or 👎
	KindSlowDown    Kind = "slow_down"   // the person writes faster than the bot answers: a short notice
	// The conversation with a person (internal/handoff).
	KindHandoff Kind = "handoff" // the desk's words: what would be shared and the consent, a ticket opened, ended, rated
	KindStaff   Kind = "staff"   // a staff member's reply or notice, delivered to the person outside any question
	// KindRelayed answers text written while a ticket is open: it went to
	// the staff, and the bot says nothing (no text, nothing to send).
	KindRelayed Kind = "relayed"
)

// Answer is the bot's reply, free of any markup.
type Answer struct {
	// ID identifies the answer in the question log; empty when the log is
	// off. The engine leaves it empty; the log sets it.
	ID   string `json:"id,omitempty"`
	Lang Lang   `json:"lang"`
	Kind Kind   `json:"kind"`
	// Text leads the reply. It may contain line breaks, never markup.
	Text string `json:"text"`
	// Cards are programmes, best first.
	Cards []Card `json:"cards,omitempty"`
	// Contacts are general contact points (police, IPA …) for people in
	// trouble or when nothing fits.
	Contacts []Contact `json:"contacts,omitempty"`
	// Suggestions are quick replies: follow-ups and categories.
	Suggestions []Suggestion `json:"suggestions,omitempty"`
	// Confident is false when the bot offers no programme for the question.
	Confident bool `json:"confident"`
	// Total counts the initiatives that fit; Offset is the index of the
	// first card among them. Total > Offset+len(Cards) means "more" works.
	Total  int `json:"total,omitempty"`
	Offset int `json:"offset,omitempty"`
	// Footer is a closing line (source of the data, how to continue).
	Footer string `json:"footer,omitempty"`
	// Ticket is the number of the conversation's open ticket with the
	// staff (internal/handoff), 0 when none is open: while it is set the
	// web chat listens for the staff's replies.
	Ticket int64 `json:"ticket,omitempty"`
	// Feedback, when set, asks whether the answer helped: adapters show
	// its two actions as 👍 / 👎 buttons labelled CaptionHelpful and
	// CaptionNotHelpful under CaptionFeedback. The question log sets it on
	// answers that invite a vote (InvitesFeedback).
	Feedback *Feedback `json:"feedback,omitempty"`
}

// Silent reports whether the answer has nothing to send: text relayed to
// the staff, which the bot does not answer.
func (a Answer) Silent() bool { return a.Kind == KindRelayed }

// HasMore reports whether further results can be shown with ActionMore.
func (a Answer) HasMore() bool { return a.Total > a.Offset+len(a.Cards) }

// InvitesFeedback reports whether people are asked to rate the answer:
// every answer that shows programmes.
func (a Answer) InvitesFeedback() bool { return len(a.Cards) > 0 }

// Feedback holds the actions of the 👍 and 👎 buttons of one answer.
type Feedback struct {
	Up   Action `json:"up"`
	Down Action `json:"down"`
}

// Card is one programme, localised.
type Card struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	Organizations []string `json:"organizations"`
	Audiences     []string `json:"audiences"`
	Kinds         []string `json:"kinds,omitempty"`
	Regions       []string `json:"regions,omitempty"`
	Summary       string   `json:"summary"`
	NextStep      string   `json:"next_step,omitempty"`
	// URL is the verified official page, or empty: never a guess.
	URL string `json:"url,omitempty"`
	// Status is the current status with the date it was seen, if known.
	Status string `json:"status,omitempty"`
	// Citation names the seed lines in the reply language
	// ("出典: 行動計画 49行目").
	Citation string   `json:"citation"`
	Sources  []Source `json:"sources"`
	// Buttons are the card's actions: details, official site.
	Buttons []Button `json:"buttons,omitempty"`
	// Detail is filled for KindDetails answers only.
	Detail *Detail `json:"detail,omitempty"`
	// Score is the matcher's score (0 for category listings).
	Score float64 `json:"score,omitempty"`
}

// Source is a line of the seed document.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Detail is the full view of one programme.
type Detail struct {
	// SeedText is the action plan's own wording, in Japanese.
	SeedText string `json:"seed_text"`
	// Notes are the seed's notes (2019年度新規, 資料1-1, 再掲).
	Notes []string `json:"notes,omitempty"`
	// Owner says whether it is a ministry's initiative or another body's.
	Owner string `json:"owner"`
	// Facts are verified facts beyond the seed, each with its source.
	Facts []Fact `json:"facts,omitempty"`
}

// Fact is a verified fact with where and when it was seen.
type Fact struct {
	Text   string `json:"text"`
	Source string `json:"source"`
	Seen   string `json:"seen"`
}

// Contact is a general contact point.
type Contact struct {
	Name  string `json:"name"`
	What  string `json:"what"`
	Phone string `json:"phone,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Button is a card action: either an Action to send back, or a URL to open.
type Button struct {
	Label  string  `json:"label"`
	Action *Action `json:"action,omitempty"`
	URL    string  `json:"url,omitempty"`
}

// Equal reports whether two buttons show and do the same: label, link
// and action (compared by value).
func (b Button) Equal(o Button) bool {
	return b.Label == o.Label && b.URL == o.URL &&
		(b.Action == o.Action || b.Action != nil && o.Action != nil && *b.Action == *o.Action)
}

// Suggestion is a quick reply.
type Suggestion struct {
	Label string `json:"label"`
	// Short is the label where space is tight (a LINE quick reply shows
	// 20 characters), from the knowledge base; empty when Label is short
	// already.
	Short  string `json:"short,omitempty"`
	Action Action `json:"action"`
}

// ShortLabel is the label for a narrow button: Short, else Label.
func (s Suggestion) ShortLabel() string {
	if s.Short != "" {
		return s.Short
	}
	return s.Label
}
