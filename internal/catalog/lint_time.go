package catalog

// The rules in this file keep the knowledge base true to its time and
// readable by the people it serves. A card speaks in two voices: the
// summary tells what the 2019 plan said, in the past ("Under the 2019
// plan, …", 「2019年の計画では…としていました」), and the status tells what
// is known now, with its date. Each rule has a name; the rules about an
// initiative's own text can be silenced for that initiative with
//
//	lint_allow:
//	  summary-tense: the programme's own title says 続けて
//
// naming the rule and saying why. Quoted text (「…」, 『…』, "…", “…”)
// is a title and never counts against the tense rule.

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"
)

// The rules an initiative may silence with lint_allow.
const (
	RulePlanVoice    = "plan-voice"    // the summary opens with the plan: 2019年の計画では / Under the 2019 plan
	RuleSummaryTense = "summary-tense" // no present tense in the summary of a programme not known to run as planned
	RuleFY2019       = "fy2019-note"   // the summary says new or expanded in FY2019 where the plan's note does
	RuleInternalWord = "internal-word" // no word of the project's own kitchen (seed, シード, 資料では) in what people read
	RuleWording      = "wording"       // one polite form and one term where the knowledge base has chosen one
)

var allowable = map[string]bool{RulePlanVoice: true, RuleSummaryTense: true, RuleFY2019: true, RuleInternalWord: true, RuleWording: true}

// The plan voice: how every summary opens.
const (
	planVoiceJA = "2019年の計画では"
	planVoiceEN = "Under the 2019 plan"
)

// Tense markers: words of a present or future action. A summary of a
// programme whose state is not running must not use them: a reader would
// take the 2019 plan for today's offer. The lists are short on purpose;
// they catch the phrasing the knowledge base used before (「実証します」,
// "MEXT continues …"), not every present tense.
var (
	tenseJA = []string{"します", "しています", "ています", "続けて", "実施中"}
	// 「…ます。」 ends a sentence in the present; 「ました」 does not match.
	tenseJAEnd = regexp.MustCompile(`ます(?:[。．]|$)`)
	tenseEN    = regexp.MustCompile(`(?i)\b(will|continues|runs|holds|keeps|offers|provides|promotes|produces|publishes|sends|makes|gives|trains|invites|creates|builds|still|currently|is held|are held|is running|are running)\b`)
	quoted     = regexp.MustCompile(`「[^」]*」|『[^』]*』|"[^"]*"|“[^”]*”`)
)

// fy2019Notes are the plan's notes that the summaries must carry into
// both languages, and the words that say so.
var fy2019Notes = []struct{ note, ja, en string }{
	{"2019年度新規", "2019年度新規", "new in FY2019"},
	{"2019年度拡充", "2019年度拡充", "expanded in FY2019"},
	{"2019年度より実施", "2019年度から実施", "from FY2019"},
}

// Internal words: the project's own vocabulary, which means nothing to a
// reader ("the seed" is our name for the action plan excerpt).
var (
	internalJA = []string{"シード", "資料では", "本資料", "知識ベース", "ナレッジベース"}
	internalEN = regexp.MustCompile(`(?i:\b(seeds?|knowledge base|knowledge-facts|programmes-research|lint)\b)|\b(VERIFIED|LIKELY|UNKNOWN)\b|\.md\b`)
)

// wordings are choices the knowledge base has made once for all its texts:
// the honorific request forms, and one English term for 情報モラル.
var wordings = []struct{ lang, avoid, use string }{
	{"ja", "問い合わせてください", "お問い合わせください"},
	{"ja", "連絡してください", "ご連絡ください"},
	{"ja", "確認してください", "ご確認ください"},
	{"ja", "利用してください", "ご利用ください"},
	{"ja", "相談してください", "ご相談ください"},
	{"ja", "申し込んでください", "お申し込みください"},
	{"ja", "読んでください", "お読みください"},
	{"en", "information morals", "information ethics (情報モラル)"},
	{"en", "information-morals", "information ethics (情報モラル)"},
}

// Channel limits on labels, in UTF-16 code units as LINE counts them
// (internal/line/limits.go).
const (
	// MaxLabelUnits bounds the label of a LINE quick reply ("max 20
	// characters"); short labels and the dialog's labels keep to it.
	MaxLabelUnits = 20
	// maxButtonUnits bounds a Slack button's text (75 characters), where
	// the full category labels appear.
	maxButtonUnits = 75
)

// units counts s as LINE does: UTF-16 code units.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// checkAllow checks that every lint_allow names a rule and a reason.
func (l *loader) checkAllow(f string, root *yaml.Node, in *Initiative) {
	for rule, why := range in.LintAllow {
		if !allowable[rule] {
			l.errf(f, pos(root, "lint_allow", rule), "lint_allow: unknown rule %q (want one of %s)", rule, strings.Join(sortedKeys(allowable), ", "))
		}
		if strings.TrimSpace(why) == "" {
			l.errf(f, pos(root, "lint_allow", rule), "lint_allow: %s needs a reason", rule)
		}
	}
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// userText is a text a person reads, with where it is written.
type userText struct {
	keys []string // path in the YAML document
	lang string
	text string
}

func textsOf(t Text, keys ...string) []userText {
	return []userText{{keys, "ja", t.JA}, {keys, "en", t.EN}}
}

func (u userText) where() string { return strings.Join(u.keys, ".") + "." + u.lang }

// checkInitiativeTime applies the rules of this file to an initiative.
func (l *loader) checkInitiativeTime(f string, root *yaml.Node, in *Initiative) {
	l.checkAllow(f, root, in)
	allow := func(rule string) bool { _, ok := in.LintAllow[rule]; return ok }
	if in.Status != nil {
		switch in.Status.State {
		case StateRunning, StateChanged, StateEnded:
		case StateUnconfirmed:
			l.errf(f, pos(root, "status", "state"), "status with state unconfirmed: remove the status; a card without one says the current status is not confirmed")
		case "":
			l.errf(f, pos(root, "status"), "status without a state (running, changed or ended)")
		default:
			l.errf(f, pos(root, "status", "state"), "status state %q: want running, changed or ended", in.Status.State)
		}
	}
	line := pos(root, "summary")
	if !allow(RulePlanVoice) {
		if s := in.Summary.JA; s != "" && !strings.HasPrefix(s, planVoiceJA) {
			l.errf(f, pos(root, "summary", "ja"), "%s: summary.ja does not open with 「%s」: tell what the 2019 plan said (…としていました); the status tells what is true now", RulePlanVoice, planVoiceJA)
		}
		if s := in.Summary.EN; s != "" && !strings.HasPrefix(s, planVoiceEN) {
			l.errf(f, pos(root, "summary", "en"), "%s: summary.en does not open with %q: tell what the 2019 plan said; the status tells what is true now", RulePlanVoice, planVoiceEN)
		}
	}
	if state := in.State(); state != StateRunning && !allow(RuleSummaryTense) {
		if m := presentJA(in.Summary.JA); m != "" {
			l.errf(f, pos(root, "summary", "ja"), "%s: summary.ja is in the present tense (「%s」) but the programme is %s: write what the 2019 plan said (…としていました), or add lint_allow: {%s: why}", RuleSummaryTense, m, state, RuleSummaryTense)
		}
		if m := presentEN(in.Summary.EN); m != "" {
			l.errf(f, pos(root, "summary", "en"), "%s: summary.en is in the present tense (%q) but the programme is %s: write what the 2019 plan said (\"was to …\"), or add lint_allow: {%s: why}", RuleSummaryTense, m, state, RuleSummaryTense)
		}
	}
	if !allow(RuleFY2019) && len(in.Sources) > 0 {
		for _, n := range fy2019Notes {
			if !strings.Contains(in.Sources[0].Note, n.note) {
				continue
			}
			if !strings.Contains(in.Summary.JA, n.ja) {
				l.errf(f, line, "%s: the plan marks this bullet %s, but summary.ja does not say 「%s」", RuleFY2019, n.note, n.ja)
			}
			if !strings.Contains(in.Summary.EN, n.en) {
				l.errf(f, line, "%s: the plan marks this bullet %s, but summary.en does not say %q", RuleFY2019, n.note, n.en)
			}
		}
	}
	var texts []userText
	texts = append(texts, textsOf(in.Name, "name")...)
	texts = append(texts, textsOf(in.Summary, "summary")...)
	texts = append(texts, textsOf(in.NextStep, "next_step")...)
	if in.Status != nil {
		texts = append(texts, textsOf(in.Status.Text, "status", "text")...)
		texts = append(texts, userText{[]string{"status", "source"}, "", in.Status.Source})
	}
	for i, fact := range in.Facts {
		idx := strconv.Itoa(i)
		texts = append(texts, textsOf(fact.Text, "facts", idx, "text")...)
		texts = append(texts, userText{[]string{"facts", idx, "source"}, "", fact.Source})
	}
	l.checkWords(f, root, texts, allow(RuleInternalWord), allow(RuleWording))
}

// presentJA returns the first tense marker in a Japanese text, quotes
// aside, or "".
func presentJA(s string) string {
	s = quoted.ReplaceAllString(s, "「」")
	for _, m := range tenseJA {
		if strings.Contains(s, m) {
			return m
		}
	}
	if tenseJAEnd.MatchString(s) {
		return "…ます"
	}
	return ""
}

// presentEN returns the first tense marker in an English text, quotes
// aside, or "".
func presentEN(s string) string {
	return tenseEN.FindString(quoted.ReplaceAllString(s, `""`))
}

// checkWords applies the internal-word and wording rules to texts people
// read. A source (lang "") is shown as a citation: only internal words
// count there.
func (l *loader) checkWords(f string, root *yaml.Node, texts []userText, skipInternal, skipWording bool) {
	for _, u := range texts {
		if u.text == "" {
			continue
		}
		line := pos(root, u.keys...)
		if u.lang != "" {
			line = pos(root, append(u.keys, u.lang)...)
		}
		where := u.where()
		if u.lang == "" {
			where = strings.Join(u.keys, ".")
		}
		if !skipInternal {
			if w := internalWord(u.text); w != "" {
				l.errf(f, line, "%s: %s uses %q, a word of this project that readers do not know: name the 2019 action plan (2019年の行動計画) or the page itself", RuleInternalWord, where, w)
			}
		}
		if skipWording || u.lang == "" {
			continue
		}
		for _, w := range wordings {
			if w.lang == u.lang && strings.Contains(strings.ToLower(u.text), w.avoid) {
				l.errf(f, line, "%s: %s says %q: write %q, as the other texts do", RuleWording, where, w.avoid, w.use)
			}
		}
	}
}

func internalWord(s string) string {
	for _, w := range internalJA {
		if strings.Contains(s, w) {
			return w
		}
	}
	return internalEN.FindString(s)
}

// checkTaxonomyTime applies the rules to the taxonomy: internal words in
// labels, renamed organisations, label lengths.
func (l *loader) checkTaxonomyTime(f string, root *yaml.Node) {
	t := &l.c.Taxonomy
	var texts []userText
	for i := range t.Organizations {
		o := &t.Organizations[i]
		idx := strconv.Itoa(i)
		for _, k := range []struct {
			key string
			t   Text
		}{{"name", o.Name}, {"short", o.Short}, {"former", o.Former}} {
			texts = append(texts, textsOf(k.t, "organizations", idx, k.key)...)
		}
		for j, fact := range o.Facts {
			jdx := strconv.Itoa(j)
			l.checkText(f, root, fact.Text, "organizations", idx, "facts", jdx, "text")
			l.checkSourced(f, pos(root, "organizations", idx, "facts", jdx), fact.Source, fact.Seen)
			texts = append(texts, textsOf(fact.Text, "organizations", idx, "facts", jdx, "text")...)
		}
		l.checkRenames(f, root, idx, o)
	}
	for _, list := range []struct {
		key    string
		labels []Label
	}{{"audiences", t.Audiences}, {"regions", t.Regions}} {
		for i, lb := range list.labels {
			texts = append(texts, textsOf(lb.Label, list.key, strconv.Itoa(i), "label")...)
		}
	}
	for i, k := range t.Kinds {
		texts = append(texts, textsOf(k.Label, "kinds", strconv.Itoa(i), "label")...)
	}
	for i, c := range t.Categories {
		idx := strconv.Itoa(i)
		l.checkText(f, root, c.Short, "categories", idx, "short")
		l.checkLabel(f, root, c.Short, MaxLabelUnits, "a LINE quick reply", "categories", idx, "short")
		l.checkLabel(f, root, c.Label, maxButtonUnits, "a Slack button", "categories", idx, "label")
		texts = append(texts, textsOf(c.Label, "categories", idx, "label")...)
		texts = append(texts, textsOf(c.Short, "categories", idx, "short")...)
		texts = append(texts, textsOf(c.Description, "categories", idx, "description")...)
	}
	l.checkWords(f, root, texts, false, false)
}

// checkRenames holds an organisation to the renames its facts record: the
// name it is shown by is the new one, and the former one still finds it.
func (l *loader) checkRenames(f string, root *yaml.Node, idx string, o *Organization) {
	searchable := map[string]bool{}
	for _, s := range append(o.Aliases.All(), o.Short.JA, o.Short.EN, o.Name.JA, o.Name.EN) {
		searchable[strings.ToLower(s)] = true
	}
	for _, lang := range []string{"ja", "en"} {
		former := o.Former.JA
		if lang == "en" {
			former = o.Former.EN
		}
		if former != "" && !searchable[strings.ToLower(former)] {
			l.errf(f, pos(root, "organizations", idx, "former"), "organization %q: former name %q is not among its aliases, so questions that use it no longer find it", o.ID, former)
		}
	}
	for j, fact := range o.Facts {
		if fact.Renamed == nil {
			continue
		}
		line := pos(root, "organizations", idx, "facts", strconv.Itoa(j), "renamed")
		r := fact.Renamed
		if r.To.JA == "" && r.To.EN == "" {
			l.errf(f, line, "organization %q: a rename without the new name (to)", o.ID)
		}
		if r.On != "" && !seenRE.MatchString(r.On) {
			l.errf(f, line, "organization %q: rename date %q is not a date (YYYY-MM-DD)", o.ID, r.On)
		}
		for _, lang := range []string{"ja", "en"} {
			to, from := r.To.JA, r.From.JA
			if lang == "en" {
				to, from = r.To.EN, r.From.EN
			}
			if shown := o.Display(lang); to != "" && !strings.Contains(shown, to) {
				l.errf(f, pos(root, "organizations", idx, "name", lang), "organization %q: its facts record the name %q (%s) since a rename, but it is shown as %q", o.ID, to, lang, shown)
			}
			if from != "" && !searchable[strings.ToLower(from)] {
				l.errf(f, pos(root, "organizations", idx, "aliases"), "organization %q: former name %q (%s) is not among its aliases, so questions that use it no longer find it", o.ID, from, lang)
			}
		}
	}
}

// checkLabel holds a label in both languages to a channel's limit.
func (l *loader) checkLabel(f string, root *yaml.Node, t Text, max int, where string, keys ...string) {
	for _, lt := range []struct{ lang, s string }{{"ja", t.JA}, {"en", t.EN}} {
		if n := units(lt.s); n > max {
			l.errf(f, pos(root, append(keys, lt.lang)...), "%s.%s %q is %d characters (UTF-16 units); %s shows at most %d", strings.Join(keys, "."), lt.lang, lt.s, n, where, max)
		}
	}
}

// checkDialogLabels requires every label of the bot's own actions, within
// LINE's limit, in both languages.
func (l *loader) checkDialogLabels(f string, root *yaml.Node) {
	lb := l.c.Vocabulary.Dialog.Labels
	var texts []userText
	for _, k := range []struct {
		key string
		t   Text
	}{{"more", lb.More}, {"menu", lb.Menu}, {"help", lb.Help}, {"trouble", lb.Trouble}, {"details", lb.Details}, {"site", lb.Site}, {"related", lb.Related}, {"language", lb.Language},
		{"handoff", lb.Handoff}, {"consent", lb.Consent}, {"decline", lb.Decline}, {"end", lb.End}} {
		keys := []string{"dialog", "labels", k.key}
		l.checkText(f, root, k.t, keys...)
		l.checkLabel(f, root, k.t, MaxLabelUnits, "a LINE quick reply", keys...)
		texts = append(texts, textsOf(k.t, keys...)...)
	}
	l.checkWords(f, root, texts, false, false)
}

// checkContactsTime applies the word rules to the contact points people
// read (their sources are not shown).
func (l *loader) checkContactsTime(f string, root *yaml.Node, contacts []Contact) {
	var texts []userText
	for i, c := range contacts {
		idx := strconv.Itoa(i)
		texts = append(texts, textsOf(c.Name, "contacts", idx, "name")...)
		texts = append(texts, textsOf(c.What, "contacts", idx, "what")...)
	}
	l.checkWords(f, root, texts, false, false)
}

// lineSafe reports whether raw is a URL as LINE accepts it: only the
// characters RFC 3986 allows, non-ASCII and spaces percent-encoded as
// UTF-8 ("URI action": "the URL should be encoded"). It returns the
// encoded form to suggest when it is not.
func lineSafe(raw string) (ok bool, suggest string) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '%':
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return false, ""
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		default:
			if u, err := url.Parse(raw); err == nil {
				return false, u.String()
			}
			return false, ""
		}
	}
	return true, ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// linkable reports whether a source is a link (the adapters make it one).
func linkable(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

func (l *loader) checkEncoded(file string, line int, what, raw string) {
	if ok, suggest := lineSafe(raw); !ok {
		msg := fmt.Sprintf("%s %q is not percent-encoded UTF-8 (a space or a character outside RFC 3986): LINE rejects it", what, raw)
		if suggest != "" && suggest != raw {
			msg += "; write " + suggest
		}
		l.errf(file, line, "%s", msg)
	}
}
