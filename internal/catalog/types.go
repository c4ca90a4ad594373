package catalog

import "strings"

// Text is a string in both of the bot's languages.
type Text struct {
	JA string `yaml:"ja" json:"ja"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("ja" or "en"), falling back to Japanese.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.JA
}

// Terms are words and phrases in both languages.
type Terms struct {
	JA []string `yaml:"ja" json:"ja"`
	EN []string `yaml:"en" json:"en"`
}

// All returns the Japanese then the English terms.
func (t Terms) All() []string {
	out := make([]string, 0, len(t.JA)+len(t.EN))
	return append(append(out, t.JA...), t.EN...)
}

// In returns the terms in lang.
func (t Terms) In(lang string) []string {
	if lang == "en" {
		return t.EN
	}
	return t.JA
}

// Source is a line of the seed an initiative comes from.
type Source struct {
	File string `yaml:"file" json:"file"`
	Line int    `yaml:"line" json:"line"`
	// Note is the seed's note on that bullet, verbatim (2019年度新規、資料1-1).
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
	// Relist marks a （再掲） re-listing of the initiative in another section.
	Relist bool `yaml:"relist,omitempty" json:"relist,omitempty"`
}

// Fact is something known beyond the seed, only ever from a verified public
// source (shared/knowledge-facts.md and the research note beside it).
type Fact struct {
	Text   Text   `yaml:"text" json:"text"`
	Source string `yaml:"source" json:"source"` // the URL where it was seen
	Seen   string `yaml:"seen" json:"seen"`     // YYYY-MM
}

// State says what is known of an initiative now. An initiative with no
// verified status is StateUnconfirmed; one with a status names its state.
type State string

// The states of an initiative.
const (
	StateRunning     State = "running"     // running as the plan described, or in its own words now
	StateChanged     State = "changed"     // renamed, merged or turned into something else
	StateEnded       State = "ended"       // over
	StateUnconfirmed State = "unconfirmed" // nothing current verified
)

// Status is what is known of an initiative now, from a verified source:
// its state and a sentence saying so, with where and when it was seen.
type Status struct {
	State State `yaml:"state" json:"state"`
	Fact  `yaml:",inline"`
}

// Link is a verified official page.
type Link struct {
	URL    string `yaml:"url" json:"url"`
	Source string `yaml:"source" json:"source"` // where the link was verified
	Seen   string `yaml:"seen" json:"seen"`
	// Related marks a verified page that is not the programme's own: its
	// organiser's site or a neighbouring scheme, where no page of the
	// programme was found. Cards label it so.
	Related bool `yaml:"related,omitempty" json:"related,omitempty"`
}

// Owner tells whose initiative it is, after the seed's colour legend:
// 青 = 関係省庁の取組 (ministry), 黄 = それ以外の取組 (other).
type Owner string

// The two owners of the seed's legend.
const (
	OwnerMinistry Owner = "ministry"
	OwnerOther    Owner = "other"
)

// Initiative is one programme of the action plan.
type Initiative struct {
	ID      string `yaml:"id" json:"id"`
	Name    Text   `yaml:"name" json:"name"`
	Summary Text   `yaml:"summary" json:"summary"`
	// TextJA is the seed bullet, verbatim (without "- ", the note and （再掲）).
	TextJA        string   `yaml:"text_ja" json:"text_ja"`
	Sources       []Source `yaml:"sources" json:"sources"`
	Organizations []string `yaml:"organizations" json:"organizations"`
	Owner         Owner    `yaml:"owner" json:"owner"`
	Audiences     []string `yaml:"audiences" json:"audiences"`
	Kinds         []string `yaml:"kinds" json:"kinds"`
	Regions       []string `yaml:"regions,omitempty" json:"regions,omitempty"`
	// Focus names vocabulary concepts or taxonomy regions one of which a
	// question must touch for this programme to lead a ranking (a factory
	// guide leads only when factories or IoT come up, a programme of one
	// prefecture when a place in it does); empty for programmes of broad
	// use.
	Focus    []string `yaml:"focus,omitempty" json:"focus,omitempty"`
	Aliases  Terms    `yaml:"aliases" json:"aliases"`
	Keywords Terms    `yaml:"keywords" json:"keywords"`
	Examples Terms    `yaml:"examples" json:"examples"`
	// NextStep says what the person can do now, from the seed or a fact.
	NextStep Text    `yaml:"next_step" json:"next_step"`
	URL      *Link   `yaml:"url,omitempty" json:"url,omitempty"`
	Status   *Status `yaml:"status,omitempty" json:"status,omitempty"`
	Facts    []Fact  `yaml:"facts,omitempty" json:"facts,omitempty"`
	// LintAllow silences a rule of lint_time.go for this initiative, rule
	// name → the reason, which must be given ("summary-tense": "the
	// programme's own title says 続けて").
	LintAllow map[string]string `yaml:"lint_allow,omitempty" json:"-"`

	// Derived on load.
	File     string    `yaml:"-" json:"-"` // the YAML file it came from
	Sections []Section `yaml:"-" json:"-"` // seed sections of its sources
}

// State returns what is known of the initiative now: its status's state,
// or StateUnconfirmed when no status is verified.
func (in *Initiative) State() State {
	if in.Status == nil {
		return StateUnconfirmed
	}
	return in.Status.State
}

// Lines returns the seed line numbers the initiative comes from.
func (in *Initiative) Lines() []int {
	out := make([]int, len(in.Sources))
	for i, s := range in.Sources {
		out[i] = s.Line
	}
	return out
}

// Line returns the line of the initiative's first bullet: the number the
// evaluation files and citations use.
func (in *Initiative) Line() int {
	if len(in.Sources) == 0 {
		return 0
	}
	return in.Sources[0].Line
}

// InSection reports whether any source of the initiative lies in s.
func (in *Initiative) InSection(s Section) bool {
	for _, x := range in.Sections {
		if x == s {
			return true
		}
	}
	return false
}

// Organization is a body that runs initiatives. Its names, short forms
// and aliases are the words a question names it by (a facet: 経産省,
// METI, Ministry of Economy).
type Organization struct {
	ID    string `yaml:"id" json:"id"`
	Name  Text   `yaml:"name" json:"name"`                       // the name now
	Short Text   `yaml:"short,omitempty" json:"short,omitempty"` // METI, 経産省 …; each language on its own
	// Former is the name a renamed body is still known by, shown after
	// its name ("formerly NISC", 旧NISC). It must also be an alias.
	Former   Text  `yaml:"former,omitempty" json:"former,omitempty"`
	Ministry bool  `yaml:"ministry,omitempty" json:"ministry,omitempty"`
	Aliases  Terms `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Anchor marks a body whose work is this domain (IPA, NISC, JPCERT/CC):
	// naming it puts a question in the domain. A ministry or the police
	// do much else (「経産省の採用情報」 is about jobs).
	Anchor bool `yaml:"anchor,omitempty" json:"anchor,omitempty"`
	// Facts about the body itself, each sourced; a rename is recorded
	// here, and the lint holds the name to it.
	Facts []OrgFact `yaml:"facts,omitempty" json:"facts,omitempty"`
}

// OrgFact is a verified fact about an organisation, possibly a rename.
type OrgFact struct {
	Fact    `yaml:",inline"`
	Renamed *Rename `yaml:"renamed,omitempty" json:"renamed,omitempty"`
}

// Rename records a change of name: From stays searchable (an alias), To
// is what the organisation is called now. A language left empty did not
// change.
type Rename struct {
	From Text   `yaml:"from" json:"from"`
	To   Text   `yaml:"to" json:"to"`
	On   string `yaml:"on,omitempty" json:"on,omitempty"` // YYYY-MM-DD, when known
}

// Display is the organisation as a card shows it: the name, then in
// brackets the short form where it adds something and the former name
// ("National Cybersecurity Office (NCO, formerly NISC)",
// 「国家サイバー統括室（旧NISC）」). Short and former forms are taken in
// lang only, never from the other language.
func (o *Organization) Display(lang string) string {
	name := o.Name.In(lang)
	short, former := o.Short.JA, o.Former.JA
	if lang == "en" {
		short, former = o.Short.EN, o.Former.EN
	}
	var parts []string
	if short != "" && short != name && !strings.Contains(name, short) {
		parts = append(parts, short)
	}
	if former != "" {
		if lang == "en" {
			parts = append(parts, "formerly "+former)
		} else {
			parts = append(parts, "旧"+former)
		}
	}
	switch {
	case len(parts) == 0:
		return name
	case lang == "en":
		return name + " (" + strings.Join(parts, ", ") + ")"
	}
	return name + "（" + strings.Join(parts, "、") + "）"
}

// Names returns every word the organisation is named by: name, short
// form and aliases (former names among them) in both languages.
func (o *Organization) Names() []string {
	out := []string{o.Name.JA, o.Name.EN, o.Short.JA, o.Short.EN}
	return append(out, o.Aliases.All()...)
}

// Label is an entry of a closed list (audience, region).
type Label struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	// Terms name the entry in a question, as a facet: the audience
	// (保護者, parents, 先生) or, for a region, the places inside it
	// (大阪, 神戸, Kyoto). The lint wants both languages.
	Terms Terms `yaml:"terms,omitempty" json:"terms,omitempty"`
}

// Kind is what an initiative is (seminar, consultation, grant …). Two
// flags tell the matcher how a kind bears on trouble happening now; the
// loader requires at least one kind with each and none with both.
type Kind struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	// Learning marks kinds that mean preparing, not trouble now: someone
	// who asks for a talk or material about fraud or viruses is not
	// being defrauded or infected.
	Learning bool `yaml:"learning,omitempty" json:"learning,omitempty"`
	// Help marks kinds that help a person in trouble now (consultation,
	// incident support): an urgent answer leads with programmes of these
	// kinds meant for the asker.
	Help bool `yaml:"help,omitempty" json:"help,omitempty"`
	// NotNow marks kinds of no use to a person in trouble now (a
	// contest): an urgent answer leaves out a programme of such kinds
	// only, unless the question names it.
	NotNow bool `yaml:"not_now,omitempty" json:"not_now,omitempty"`
	// Terms name the kind in a question, as a facet (コンクール,
	// certifications).
	Terms Terms `yaml:"terms,omitempty" json:"terms,omitempty"`
}

// Category is a menu entry grouping initiatives by seed section.
type Category struct {
	ID    string `yaml:"id" json:"id"`
	Label Text   `yaml:"label" json:"label"`
	// Short is the label where space is tight: a LINE quick reply shows
	// at most 20 characters (MaxLabelUnits), in both languages.
	Short       Text      `yaml:"short" json:"short"`
	Description Text      `yaml:"description" json:"description"`
	Sections    []Section `yaml:"sections" json:"sections"`
}

// Taxonomy is the closed lists initiatives refer to. Their entries are
// also the facets a question can ask by: who runs a programme, who it is
// for, what it is and where.
type Taxonomy struct {
	Organizations []Organization `yaml:"organizations"`
	Audiences     []Label        `yaml:"audiences"`
	// Private are the audiences that are private persons (the public):
	// trouble now with a service of private life (Concept.Personal) from
	// someone who names only these gets the contact points and no
	// programme: the plan's programmes for the public are talks and
	// classes to prepare, not help with one's own hijacked account.
	Private []string `yaml:"private,omitempty"`
	Kinds   []Kind   `yaml:"kinds"`
	Regions []Label  `yaml:"regions"`
	// Places are prefectures, cities and areas of Japan outside every
	// region above: a question naming one gets the programmes that run
	// in any region, said to be so.
	Places Terms `yaml:"places,omitempty"`
	// Areas are the wider parts of Japan that hold a region (九州 holds
	// Nagasaki, 関東 Tokyo): a question naming one gets the programmes of
	// the regions it holds and those that run in any region.
	Areas      []Area     `yaml:"areas,omitempty"`
	Categories []Category `yaml:"categories"`
}

// Area is a wider part of Japan that holds regions of the taxonomy.
type Area struct {
	Holds []string `yaml:"holds"`
	Terms Terms    `yaml:"terms"`
}

// Concept is a synonym group: every term means the same thing to the
// matcher. A concept may also carry an intent: who is asking or for whom
// (audiences), what they need (kinds), a whole category, a region, or an
// emergency.
type Concept struct {
	ID string   `yaml:"id"`
	JA []string `yaml:"ja"`
	EN []string `yaml:"en"`
	// Written are English terms that count only as written, not by their
	// stem: "gifted" is a kind of pupil, its stem "gift" a present; "talk"
	// is a lecture, "talking about it" is not.
	Written    []string `yaml:"written,omitempty"`
	Audiences  []string `yaml:"audiences,omitempty"`
	Kinds      []string `yaml:"kinds,omitempty"`
	Categories []string `yaml:"categories,omitempty"`
	Regions    []string `yaml:"regions,omitempty"`
	// Urgent marks trouble happening now (infected, hacked, scammed): the
	// bot leads with consultation programmes and contact points.
	Urgent bool `yaml:"urgent,omitempty"`
	// Contacts are the contact-point topics the concept calls for
	// (fraud → 消費者ホットライン); see Contact.Topics.
	Contacts []string `yaml:"contacts,omitempty"`
	// Generic marks words of the domain itself (security, 対策) that say a
	// question is on topic without telling programmes apart.
	Generic bool `yaml:"generic,omitempty"`
	// Context marks words of a situation (smartphone, game, SNS) that
	// refine a ranking but never make a programme fit on their own.
	Context bool `yaml:"context,omitempty"`
	// Anchor marks words that put a question in the bot's domain by
	// themselves (セキュリティ, ウイルス, 情報モラル). A question with no
	// anchor and no programme name must be explained word for word before
	// a programme is offered: 補助金 in 「補助金で太陽光パネル」 is not a
	// question for this bot.
	Anchor bool `yaml:"anchor,omitempty"`
	// Core marks the words that name the domain itself (セキュリティ,
	// サイバー, information security), of an anchor concept: a question
	// asking about them is this bot's even beside a need outside it
	// (「補助金でレジを入れるのにセキュリティの何かが要る」). Everyday
	// words of the domain (パスワード, backup) are anchors but not core:
	// resetting a password is the service's business.
	Core bool `yaml:"core,omitempty"`
	// Outside marks a need this bot does not serve although it shares
	// words with the domain: buying a device, a price plan, tax, tuition,
	// building a website, repairs. A question whose need is one of these
	// gets no programme unless it names one or is about trouble now.
	Outside bool `yaml:"outside,omitempty"`
	// Workplace marks words that say where the asker works (勤務,
	// で働いています, I work at): a need outside the domain named right
	// before them in Japanese or right after them in English is the
	// asker's workplace (交番勤務, "I work at a daycare"), not what they
	// ask for. They carry nothing else.
	Workplace bool `yaml:"workplace,omitempty"`
	// Practice marks wanting to learn, practise, compete in or teach
	// something: a person who wants to learn hacking is not being hacked.
	Practice bool `yaml:"practice,omitempty"`
	// Personal marks a service or device of private life (SNS, webmail,
	// online shopping, a home computer): trouble now with one, from
	// someone who names no business, school, child or region, is a
	// private person's, and no programme of the plan is for them; the
	// contact points are the answer.
	Personal bool `yaml:"personal,omitempty"`
}

// Vocabulary is what the matcher expands questions with, and the phrases
// the dialog recognises.
type Vocabulary struct {
	Concepts  []Concept `yaml:"concepts"`
	Stopwords Terms     `yaml:"stopwords"`
	// Capitals are Latin names that are also everyday English words
	// (SPREAD, US, IT): a term written with one of them in capitals is
	// found only where the question writes it in capitals too, so
	// "malware is spreading" does not name the SPREAD exams.
	Capitals []string `yaml:"capitals,omitempty"`
	Dialog   Dialog   `yaml:"dialog"`
}

// Dialog holds the phrases of conversational intents. Each matches a whole
// (normalised) message, not a part of one.
type Dialog struct {
	Greeting Terms `yaml:"greeting"`
	Thanks   Terms `yaml:"thanks"`
	Help     Terms `yaml:"help"`
	More     Terms `yaml:"more"`
	Details  Terms `yaml:"details"`
	Menu     Terms `yaml:"menu"`
	English  Terms `yaml:"english"`
	Japanese Terms `yaml:"japanese"`
	// End words end a conversation with a person while one is open
	// (「終了」, "end"); otherwise they are ordinary words.
	End Terms `yaml:"end"`
	// ListAll words ("全部", "一覧", "all") turn a question about a group
	// into a request for the whole category.
	ListAll Terms `yaml:"list_all"`
	// NumberPrefixes and NumberSuffixes may surround a card number
	// ("No.2", 「2番目」, 「2を詳しく」): the message still picks card 2.
	NumberPrefixes []string `yaml:"number_prefixes"`
	NumberSuffixes []string `yaml:"number_suffixes"`
	// Labels are the bot's own buttons and quick replies.
	Labels DialogLabels `yaml:"labels"`
	// Clarify are the quick replies of an answer that asks back: who the
	// question is for, whether trouble is happening now.
	Clarify []Choice `yaml:"clarify"`
}

// DialogLabels are the labels of the bot's own actions, as LINE shows them
// on quick replies and buttons: each at most 20 characters (MaxLabelUnits)
// in both languages.
type DialogLabels struct {
	More     Text `yaml:"more"`     // the next page of programmes
	Menu     Text `yaml:"menu"`     // back to the categories
	Help     Text `yaml:"help"`     // how to ask
	Trouble  Text `yaml:"trouble"`  // contact points for someone in trouble
	Details  Text `yaml:"details"`  // a programme in full
	Site     Text `yaml:"site"`     // a programme's official page
	Related  Text `yaml:"related"`  // a related page, where the programme has none of its own
	Language Text `yaml:"language"` // switch to the other language, named in it
	// The conversation with a person (handoff).
	Handoff Text `yaml:"handoff"` // ask a person: shows what would be shared and asks for consent
	Consent Text `yaml:"consent"` // agree to share it and ask
	Decline Text `yaml:"decline"` // cancel before anything is shared
	End     Text `yaml:"end"`     // end the conversation with the person
}

// Choice is a quick reply that refines an unclear question: the words
// of Adds (in the question's language) are added to it and it is asked
// again.
type Choice struct {
	ID    string `yaml:"id"`
	Label Text   `yaml:"label"`
	Adds  Text   `yaml:"adds"`
	// Who marks a choice that says who the question is for; the others
	// say when (trouble now, preparing). An answer asks only what the
	// question leaves open.
	Who bool `yaml:"who,omitempty"`
}

// Situation is something people of an audience typically go through and
// describe in their own words without naming a programme or using a
// word of security: an e-mail attachment opened, a client asking for
// proof of security, a child meeting a stranger from a game. It is found
// when every one of its cues is in the question, and calls for its
// programmes (best first), its intents and, when it is trouble now, the
// contact points of its topics.
type Situation struct {
	ID    string `yaml:"id"`
	Label Text   `yaml:"label"`
	// Who are the audiences it concerns; the asker when the question names
	// nobody.
	Who   []string `yaml:"who,omitempty"`
	Kinds []string `yaml:"kinds,omitempty"`
	// Now marks trouble happening now: the answer leads with contact
	// points and help.
	Now        bool     `yaml:"now,omitempty"`
	Contacts   []string `yaml:"contacts,omitempty"`
	Cues       []Cue    `yaml:"cues"`
	Programmes []string `yaml:"programmes"`
	// Outside marks a look-alike: a need this bot does not serve that
	// shares words with the domain (choosing a device, an office's
	// address). Found, it takes the question out of the domain like an
	// outside concept; it calls for nothing.
	Outside bool `yaml:"outside,omitempty"`
	// Decisive marks a look-alike whose need no other word of the question
	// brings back into the domain: what is asked for is itself the harm
	// (getting into someone else's account, a keylogger to write) or
	// another country's institution. Its trouble words name the act, not
	// something suffered, and its words of the domain the thing wanted.
	// Only a programme named outweighs it.
	Decisive bool `yaml:"decisive,omitempty"`
}

// Cue is one thing a situation needs in a question: a vocabulary concept,
// words of its own, or either.
type Cue struct {
	Concepts []string `yaml:"concepts,omitempty"`
	JA       []string `yaml:"ja,omitempty"`
	EN       []string `yaml:"en,omitempty"`
}

// Contact is a general contact point for people in trouble.
type Contact struct {
	ID     string   `yaml:"id" json:"id"`
	Name   Text     `yaml:"name" json:"name"`
	What   Text     `yaml:"what" json:"what"`
	Phone  string   `yaml:"phone,omitempty" json:"phone,omitempty"`
	URL    string   `yaml:"url,omitempty" json:"url,omitempty"`
	Topics []string `yaml:"topics" json:"topics"` // incident, fraud, phishing, child, company, individual, emergency …
	// Organisations marks a desk only for companies and organisations
	// (JPCERT/CC's incident response, IPA's desk for them): an answer to
	// a private person's trouble leaves it out.
	Organisations bool   `yaml:"organisations,omitempty" json:"organisations,omitempty"`
	Source        string `yaml:"source" json:"source"`
	Seen          string `yaml:"seen" json:"seen"`
}
