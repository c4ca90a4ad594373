package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// The files of a knowledge directory.
const (
	TaxonomyFile   = "taxonomy.yaml"
	VocabularyFile = "vocabulary.yaml"
	ContactsFile   = "contacts.yaml"
	SituationsFile = "situations.yaml"
	InitiativesDir = "initiatives"
)

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seenRE = regexp.MustCompile(`^\d{4}-\d{2}(-\d{2})?$`)
	lineRE = regexp.MustCompile(`line (\d+): (.*)`)
)

// ContactTopics are the topics contact points and concepts may name.
var ContactTopics = []string{"emergency", "police", "individual", "company", "incident", "malware", "fraud", "phishing", "defamation", "child"}

func knownTopic(t string) bool {
	for _, k := range ContactTopics {
		if k == t {
			return true
		}
	}
	return false
}

type loader struct {
	knowledge, seeds fs.FS
	c                *Catalog
	problems         Problems
	seen             []seenAt        // every seen date, for facts_checked
	stopEN           map[string]bool // the vocabulary's English stop words, lower case
	capitals         map[string]bool // the vocabulary's capitals, as written
	taxonomy         *yaml.Node      // taxonomy.yaml, for the positions of later checks
}

func (l *loader) errf(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// decode reads one YAML document strictly (unknown fields are errors) into
// v and returns its node tree for positions.
func (l *loader) decode(name string, v any) (*yaml.Node, bool) {
	data, err := fs.ReadFile(l.knowledge, name)
	if err != nil {
		l.errf(name, 0, "read: %v", err)
		return nil, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		l.yamlError(name, err)
		return nil, false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		l.yamlError(name, err)
		return nil, false
	}
	return &root, true
}

// yamlError turns the YAML library's "line N: …" messages into problems.
func (l *loader) yamlError(name string, err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		if sm := lineRE.FindStringSubmatch(m); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			// The YAML parser reports an unclosed flow collection one
			// line before the line that opens it.
			if strings.HasPrefix(sm[2], "did not find expected") {
				n++
			}
			l.errf(name, n, "%s", strings.ReplaceAll(sm[2], "catalog.", ""))
			continue
		}
		l.errf(name, 0, "%s", strings.TrimPrefix(m, "yaml: "))
	}
}

// pos finds the line of a key path ("sources", "0", "line") in a document,
// or the deepest part of it that exists.
func pos(root *yaml.Node, keys ...string) int {
	if root == nil {
		return 0
	}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, k := range keys {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					line = n.Content[i].Line
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

func (l *loader) run() {
	l.loadMeta()
	l.loadTaxonomy()
	l.loadVocabulary()
	l.loadContacts()
	l.loadSeeds()
	l.loadInitiatives()
	l.checkCoverage()
	l.checkFactsChecked()
	l.checkFacets()
	l.loadSituations()
	l.loadReadings()
}

func (l *loader) loadSeeds() {
	entries, err := fs.ReadDir(l.seeds, ".")
	if err != nil {
		l.errf("seeds", 0, "read seeds: %v", err)
		return
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		data, err := fs.ReadFile(l.seeds, e.Name())
		if err != nil {
			l.errf(e.Name(), 0, "read seed: %v", err)
			continue
		}
		s, err := ParseSeed(e.Name(), data)
		if err != nil {
			l.errf(e.Name(), 0, "%v", err)
			continue
		}
		l.c.Seeds[e.Name()] = s
	}
	if len(l.c.Seeds) == 0 {
		l.errf("seeds", 0, "no seed file (*.txt)")
	}
}

func (l *loader) checkText(file string, root *yaml.Node, t Text, keys ...string) {
	if strings.TrimSpace(t.JA) == "" {
		l.errf(file, pos(root, keys...), "missing translation: %s.ja", strings.Join(keys, "."))
	}
	if strings.TrimSpace(t.EN) == "" {
		l.errf(file, pos(root, keys...), "missing translation: %s.en", strings.Join(keys, "."))
	}
}

func (l *loader) checkID(file string, line int, id string, seen map[string]int) {
	switch {
	case id == "":
		l.errf(file, line, "missing id")
	case !slugRE.MatchString(id):
		l.errf(file, line, "id %q is not a slug (lower-case letters, digits, hyphens)", id)
	}
	if first, dup := seen[id]; dup && id != "" {
		l.errf(file, line, "duplicate id %q (first at line %d)", id, first)
		return
	}
	seen[id] = line
}

func (l *loader) loadTaxonomy() {
	t := &l.c.Taxonomy
	root, ok := l.decode(TaxonomyFile, t)
	if !ok {
		return
	}
	l.taxonomy = root
	f := TaxonomyFile
	l.c.orgs = map[string]*Organization{}
	l.c.labels = map[string]map[string]Text{}
	seen := map[string]int{}
	for i := range t.Organizations {
		o := &t.Organizations[i]
		idx := strconv.Itoa(i)
		l.checkID(f, pos(root, "organizations", idx, "id"), o.ID, seen)
		l.checkText(f, root, o.Name, "organizations", idx, "name")
		l.c.orgs[o.ID] = o
	}
	kinds := make([]Label, len(t.Kinds))
	for i, k := range t.Kinds {
		kinds[i] = Label{ID: k.ID, Label: k.Label}
	}
	for _, list := range []struct {
		key    string
		labels []Label
	}{{"audiences", t.Audiences}, {"kinds", kinds}, {"regions", t.Regions}} {
		seen := map[string]int{}
		m := map[string]Text{}
		if len(list.labels) == 0 && list.key != "regions" {
			l.errf(f, pos(root, list.key), "no %s", list.key)
		}
		for i, lb := range list.labels {
			idx := strconv.Itoa(i)
			l.checkID(f, pos(root, list.key, idx, "id"), lb.ID, seen)
			l.checkText(f, root, lb.Label, list.key, idx, "label")
			m[lb.ID] = lb.Label
		}
		l.c.labels[list.key] = m
	}
	l.checkKindFlags(root, t.Kinds)
	l.ref(f, root, "audiences", t.Private, "private")
	seen = map[string]int{}
	valid := map[Section]bool{SectionSME: true, SectionYouth: true, SectionTalent: true, SectionRegional: true}
	for i, cat := range t.Categories {
		idx := strconv.Itoa(i)
		l.checkID(f, pos(root, "categories", idx, "id"), cat.ID, seen)
		l.checkText(f, root, cat.Label, "categories", idx, "label")
		l.checkText(f, root, cat.Description, "categories", idx, "description")
		if len(cat.Sections) == 0 {
			l.errf(f, pos(root, "categories", idx), "category %q has no sections", cat.ID)
		}
		for j, s := range cat.Sections {
			if !valid[s] {
				l.errf(f, pos(root, "categories", idx, "sections", strconv.Itoa(j)), "unknown section %q (want sme, youth, talent or regional)", s)
			}
		}
	}
	l.checkTaxonomyTime(f, root)
}

// checkKindFlags requires the kinds the matcher's urgency rules rest on:
// without a help kind an urgent question gets no programme that helps,
// without a learning kind a question about a talk on fraud reads as
// fraud happening now, and a kind that is both would make a question
// asking for help cancel its own urgency.
func (l *loader) checkKindFlags(root *yaml.Node, kinds []Kind) {
	f := TaxonomyFile
	help, learning := 0, 0
	for i, k := range kinds {
		if k.Help {
			help++
		}
		if k.Learning {
			learning++
		}
		if k.Help && k.Learning {
			l.errf(f, pos(root, "kinds", strconv.Itoa(i)), "kind %q is marked both learning and help; a question asking for it would cancel its own urgency", k.ID)
		}
		if k.Help && k.NotNow {
			l.errf(f, pos(root, "kinds", strconv.Itoa(i)), "kind %q is marked both help and not_now; an urgent answer would lead with it and leave it out", k.ID)
		}
	}
	if len(kinds) == 0 {
		return // reported as "no kinds"
	}
	if help == 0 {
		l.errf(f, pos(root, "kinds"), "no kind is marked help: true (consultation, incident support); urgent questions would get no programme that helps")
	}
	if learning == 0 {
		l.errf(f, pos(root, "kinds"), "no kind is marked learning: true (seminar, material …); a question about a talk on fraud would read as fraud happening now")
	}
}

var singular = map[string]string{"organizations": "organization", "audiences": "audience", "kinds": "kind", "regions": "region", "categories": "category"}

// ref checks ids against one of the taxonomy's closed lists.
func (l *loader) ref(file string, root *yaml.Node, list string, ids []string, keys ...string) {
	known := l.c.labels[list]
	if list == "organizations" {
		known = map[string]Text{}
		for id, o := range l.c.orgs {
			known[id] = o.Name
		}
	}
	if list == "categories" {
		known = map[string]Text{}
		for _, c := range l.c.Taxonomy.Categories {
			known[c.ID] = c.Label
		}
	}
	for i, id := range ids {
		if _, ok := known[id]; !ok {
			l.errf(file, pos(root, append(keys, strconv.Itoa(i))...), "unknown %s id %q (see %s)", singular[list], id, TaxonomyFile)
		}
	}
}

func (l *loader) loadVocabulary() {
	v := &l.c.Vocabulary
	root, ok := l.decode(VocabularyFile, v)
	if !ok {
		return
	}
	f := VocabularyFile
	l.stopEN = map[string]bool{}
	for _, w := range v.Stopwords.EN {
		l.stopEN[strings.ToLower(w)] = true
	}
	l.capitals = map[string]bool{}
	for _, w := range v.Capitals {
		l.capitals[w] = true
	}
	seen := map[string]int{}
	for i, c := range v.Concepts {
		idx := strconv.Itoa(i)
		l.checkID(f, pos(root, "concepts", idx, "id"), c.ID, seen)
		if len(c.JA)+len(c.EN)+len(c.Written) == 0 {
			l.errf(f, pos(root, "concepts", idx), "concept %q has no terms", c.ID)
		}
		l.ref(f, root, "audiences", c.Audiences, "concepts", idx, "audiences")
		l.ref(f, root, "kinds", c.Kinds, "concepts", idx, "kinds")
		l.ref(f, root, "regions", c.Regions, "concepts", idx, "regions")
		l.ref(f, root, "categories", c.Categories, "concepts", idx, "categories")
		for j, t := range c.Contacts {
			if !knownTopic(t) {
				l.errf(f, pos(root, "concepts", idx, "contacts", strconv.Itoa(j)), "unknown contact topic %q (want one of %s)", t, strings.Join(ContactTopics, ", "))
			}
		}
		for j, term := range slices.Concat(c.JA, c.EN, c.Written) {
			if strings.TrimSpace(term) == "" {
				l.errf(f, pos(root, "concepts", idx), "concept %q: empty term #%d", c.ID, j+1)
			}
		}
		for j, term := range c.Written {
			if strings.IndexFunc(term, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
				l.errf(f, pos(root, "concepts", idx, "written", strconv.Itoa(j)), "concept %q: written term %q is not English: Japanese terms are found as written already", c.ID, term)
			}
		}
		for _, lt := range []struct {
			lang  string
			terms []string
		}{{"ja", c.JA}, {"en", c.EN}, {"written", c.Written}} {
			for j, term := range lt.terms {
				l.checkNotStopwords(f, pos(root, "concepts", idx, lt.lang, strconv.Itoa(j)), "concept "+strconv.Quote(c.ID), term)
			}
		}
	}
	for key, list := range map[string][]string{"number_prefixes": v.Dialog.NumberPrefixes, "number_suffixes": v.Dialog.NumberSuffixes} {
		if len(list) == 0 {
			l.errf(f, pos(root, "dialog", key), "dialog.%s is empty", key)
		}
		for j, w := range list {
			if strings.TrimSpace(w) == "" || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
				l.errf(f, pos(root, "dialog", key, strconv.Itoa(j)), "dialog.%s: %q must be a word without digits", key, w)
			}
		}
	}
	for i, c := range v.Concepts {
		if c.Outside && len(c.Audiences)+len(c.Kinds)+len(c.Categories)+len(c.Regions) > 0 || c.Outside && (c.Urgent || c.Anchor || c.Generic) {
			l.errf(f, pos(root, "concepts", strconv.Itoa(i)), "concept %q is outside the domain and so carries no intent, urgency or anchor", c.ID)
		}
		if c.Workplace && (len(c.Audiences)+len(c.Kinds)+len(c.Categories)+len(c.Regions) > 0 || c.Urgent || c.Anchor || c.Generic || c.Context || c.Outside || c.Practice || c.Core || c.Personal) {
			l.errf(f, pos(root, "concepts", strconv.Itoa(i)), "concept %q says where the asker works and so carries nothing else", c.ID)
		}
		if c.Personal && (!c.Context || len(c.Kinds)+len(c.Categories)+len(c.Regions) > 0 || c.Urgent) {
			l.errf(f, pos(root, "concepts", strconv.Itoa(i)), "concept %q is a service of private life and so a context that carries no kind, category, region or urgency", c.ID)
		}
		if c.Core && !c.Anchor {
			l.errf(f, pos(root, "concepts", strconv.Itoa(i)), "concept %q is core but no anchor: a word naming the domain puts a question in it", c.ID)
		}
	}
	l.checkClarify(root, v.Dialog.Clarify)
	for i, w := range v.Capitals {
		if w == "" || strings.ToUpper(w) != w || strings.IndexFunc(w, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
			l.errf(f, pos(root, "capitals", strconv.Itoa(i)), "capitals: %q is not one word in capital letters A-Z", w)
		}
	}
	l.checkDialogLabels(f, root)
}

// checkClarify wants the quick replies of an answer that asks back:
// each with a label and the words it adds in both languages, some saying
// who the question is for and some saying when.
func (l *loader) checkClarify(root *yaml.Node, choices []Choice) {
	f := VocabularyFile
	seen := map[string]int{}
	who, when := 0, 0
	for i, c := range choices {
		idx := strconv.Itoa(i)
		l.checkID(f, pos(root, "dialog", "clarify", idx, "id"), c.ID, seen)
		l.checkText(f, root, c.Label, "dialog", "clarify", idx, "label")
		l.checkText(f, root, c.Adds, "dialog", "clarify", idx, "adds")
		if c.Who {
			who++
		} else {
			when++
		}
	}
	if who == 0 || when == 0 {
		l.errf(f, pos(root, "dialog", "clarify"), "dialog.clarify needs choices saying who the question is for (who: true) and choices saying when (trouble now, preparing)")
	}
}

// checkNotStopwords refuses an English term made only of stop words
// ("US" is "us" once folded): it would be found in almost any question.
func (l *loader) checkNotStopwords(file string, line int, what, term string) {
	written := strings.FieldsFunc(term, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(written) == 0 {
		return
	}
	words := make([]string, len(written))
	for i, w := range written {
		// A word of capitals written in capitals is found only so: "IT"
		// is not "it".
		if l.capitals[w] {
			return
		}
		words[i] = strings.ToLower(w)
		if !l.stopEN[words[i]] {
			return
		}
	}
	l.errf(file, line, "%s: %q is only stop words (%s), so it would be found in almost any question; spell it out", what, term, strings.Join(words, " "))
}

func (l *loader) loadContacts() {
	var doc struct {
		UrgentTopics  []string  `yaml:"urgent_topics"`
		NoMatchTopics []string  `yaml:"no_match_topics"`
		Contacts      []Contact `yaml:"contacts"`
	}
	root, ok := l.decode(ContactsFile, &doc)
	if !ok {
		return
	}
	f := ContactsFile
	seen := map[string]int{}
	for i, c := range doc.Contacts {
		idx := strconv.Itoa(i)
		l.checkID(f, pos(root, "contacts", idx, "id"), c.ID, seen)
		l.checkText(f, root, c.Name, "contacts", idx, "name")
		l.checkText(f, root, c.What, "contacts", idx, "what")
		if c.Phone == "" && c.URL == "" {
			l.errf(f, pos(root, "contacts", idx), "contact %q has neither phone nor url", c.ID)
		}
		if c.URL != "" {
			l.checkURL(f, pos(root, "contacts", idx, "url"), c.URL)
		}
		l.checkSourced(f, pos(root, "contacts", idx), c.Source, c.Seen)
		if len(c.Topics) == 0 {
			l.errf(f, pos(root, "contacts", idx), "contact %q has no topics", c.ID)
		}
		for j, t := range c.Topics {
			if !knownTopic(t) {
				l.errf(f, pos(root, "contacts", idx, "topics", strconv.Itoa(j)), "unknown contact topic %q (want one of %s)", t, strings.Join(ContactTopics, ", "))
			}
		}
	}
	for _, list := range []struct {
		key    string
		topics []string
	}{{"urgent_topics", doc.UrgentTopics}, {"no_match_topics", doc.NoMatchTopics}} {
		if len(list.topics) == 0 {
			l.errf(f, pos(root, list.key), "%s is empty: list the contact topics this answer always shows", list.key)
		}
		for j, t := range list.topics {
			if !knownTopic(t) {
				l.errf(f, pos(root, list.key, strconv.Itoa(j)), "unknown contact topic %q (want one of %s)", t, strings.Join(ContactTopics, ", "))
			}
		}
	}
	l.checkContactsTime(f, root, doc.Contacts)
	l.c.Contacts = doc.Contacts
	l.c.UrgentTopics, l.c.NoMatchTopics = doc.UrgentTopics, doc.NoMatchTopics
}

func (l *loader) checkURL(file string, line int, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		l.errf(file, line, "url %q is not an absolute http(s) URL", raw)
		return
	}
	l.checkEncoded(file, line, "url", raw)
}

func (l *loader) checkSourced(file string, line int, source, seen string) {
	if strings.TrimSpace(source) == "" {
		l.errf(file, line, "fact without a source")
	}
	if linkable(source) {
		l.checkEncoded(file, line, "source", source)
	}
	if !seenRE.MatchString(seen) {
		l.errf(file, line, "seen %q is not a date (YYYY-MM)", seen)
		return
	}
	l.seen = append(l.seen, seenAt{file, line, seen})
}

func (l *loader) loadInitiatives() {
	files, err := fs.Glob(l.knowledge, InitiativesDir+"/*.yaml")
	if err != nil || len(files) == 0 {
		l.errf(InitiativesDir, 0, "no initiative files (*.yaml)")
		return
	}
	sort.Strings(files)
	l.c.byID = map[string]*Initiative{}
	ids := map[string]string{} // id → file
	for _, f := range files {
		in := &Initiative{}
		root, ok := l.decode(f, in)
		if !ok {
			continue
		}
		in.File = f
		line := pos(root, "id")
		if first, dup := ids[in.ID]; dup && in.ID != "" {
			l.errf(f, line, "duplicate id %q (also in %s)", in.ID, first)
			continue
		}
		l.checkID(f, line, in.ID, map[string]int{})
		ids[in.ID] = f
		l.checkInitiative(f, root, in)
		l.c.byID[in.ID] = in
		l.c.Initiatives = append(l.c.Initiatives, in)
	}
	sort.SliceStable(l.c.Initiatives, func(i, j int) bool {
		a, b := l.c.Initiatives[i], l.c.Initiatives[j]
		if a.Line() != b.Line() {
			return a.Line() < b.Line()
		}
		return a.ID < b.ID
	})
}

func (l *loader) checkInitiative(f string, root *yaml.Node, in *Initiative) {
	l.checkText(f, root, in.Name, "name")
	l.checkText(f, root, in.Summary, "summary")
	l.checkText(f, root, in.NextStep, "next_step")
	if strings.TrimSpace(in.TextJA) == "" {
		l.errf(f, pos(root, "text_ja"), "missing text_ja (the seed bullet, verbatim)")
	}
	if len(in.Organizations) == 0 {
		l.errf(f, pos(root, "organizations"), "no organizations")
	}
	l.ref(f, root, "organizations", in.Organizations, "organizations")
	if in.Owner != OwnerMinistry && in.Owner != OwnerOther {
		l.errf(f, pos(root, "owner"), "owner %q: want ministry (青) or other (黄)", in.Owner)
	}
	if len(in.Audiences) == 0 {
		l.errf(f, pos(root, "audiences"), "no audiences")
	}
	l.ref(f, root, "audiences", in.Audiences, "audiences")
	if len(in.Kinds) == 0 {
		l.errf(f, pos(root, "kinds"), "no kinds")
	}
	l.ref(f, root, "kinds", in.Kinds, "kinds")
	l.ref(f, root, "regions", in.Regions, "regions")
	concepts := map[string]bool{}
	for _, c := range l.c.Vocabulary.Concepts {
		concepts[c.ID] = true
	}
	for _, r := range l.c.Taxonomy.Regions {
		concepts[r.ID] = true
	}
	for i, id := range in.Focus {
		if !concepts[id] {
			l.errf(f, pos(root, "focus", strconv.Itoa(i)), "unknown concept or region id %q (see %s and %s)", id, VocabularyFile, TaxonomyFile)
		}
	}
	for _, lang := range []string{"ja", "en"} {
		if len(in.Keywords.In(lang)) == 0 {
			l.errf(f, pos(root, "keywords"), "missing translation: keywords.%s", lang)
		}
		if n := len(in.Examples.In(lang)); n < 2 || n > 4 {
			l.errf(f, pos(root, "examples", lang), "examples.%s has %d questions; want 2 to 4", lang, n)
		}
	}
	// A Latin term in either list is matched as English words.
	for _, list := range []string{"keywords", "aliases"} {
		terms := in.Keywords
		if list == "aliases" {
			terms = in.Aliases
		}
		for _, lang := range []string{"ja", "en"} {
			for i, t := range terms.In(lang) {
				l.checkNotStopwords(f, pos(root, list, lang, strconv.Itoa(i)), list+"."+lang, t)
			}
		}
	}
	if in.URL != nil {
		l.checkURL(f, pos(root, "url", "url"), in.URL.URL)
		l.checkSourced(f, pos(root, "url"), in.URL.Source, in.URL.Seen)
	}
	if in.Status != nil {
		l.checkText(f, root, in.Status.Text, "status", "text")
		l.checkSourced(f, pos(root, "status"), in.Status.Source, in.Status.Seen)
	}
	for i, fact := range in.Facts {
		idx := strconv.Itoa(i)
		l.checkText(f, root, fact.Text, "facts", idx, "text")
		l.checkSourced(f, pos(root, "facts", idx), fact.Source, fact.Seen)
	}
	l.checkSources(f, root, in)
	l.checkInitiativeTime(f, root, in)
}

// checkSources holds the initiative to the seed: each source is a bullet,
// the first is the original listing and matches text_ja byte for byte,
// re-listings match it up to character width, and notes are the seed's.
func (l *loader) checkSources(f string, root *yaml.Node, in *Initiative) {
	if len(in.Sources) == 0 {
		l.errf(f, pos(root, "sources"), "no sources")
		return
	}
	sections := map[Section]bool{}
	for i, src := range in.Sources {
		line := pos(root, "sources", strconv.Itoa(i))
		seed, ok := l.c.Seeds[src.File]
		if !ok {
			l.errf(f, line, "source file %q is not a seed", src.File)
			continue
		}
		b, ok := seed.Bullet(src.Line)
		if !ok {
			l.errf(f, line, "source %s:%d is not a bullet of the seed", src.File, src.Line)
			continue
		}
		switch {
		case i == 0 && b.Relist:
			l.errf(f, line, "first source %s:%d is a re-listing （再掲）; list the original bullet first", src.File, src.Line)
		case i > 0 && !b.Relist:
			l.errf(f, line, "source %s:%d is a separate bullet, not a re-listing of this initiative", src.File, src.Line)
		case src.Relist != b.Relist:
			l.errf(f, line, "source %s:%d: relist is %v, the seed says %v", src.File, src.Line, src.Relist, b.Relist)
		}
		if src.Note != b.Note {
			l.errf(f, line, "source %s:%d: note %q differs from the seed's %q", src.File, src.Line, src.Note, b.Note)
		}
		if i == 0 && in.TextJA != "" && in.TextJA != b.Body {
			l.errf(f, pos(root, "text_ja"), "text_ja differs from the seed at %s:%d%s", src.File, src.Line, firstDiff(in.TextJA, b.Body))
		}
		if i > 0 && in.TextJA != "" && !SameText(in.TextJA, b.Body) {
			l.errf(f, line, "re-listing %s:%d does not repeat text_ja", src.File, src.Line)
		}
		sections[b.Section] = true
	}
	for _, s := range []Section{SectionSME, SectionYouth, SectionTalent, SectionRegional} {
		if sections[s] {
			in.Sections = append(in.Sections, s)
		}
	}
}

// firstDiff describes where two texts part, for a precise lint message.
func firstDiff(got, want string) string {
	g, w := []rune(got), []rune(want)
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	clip := func(r []rune) string {
		if i >= len(r) {
			return "(end)"
		}
		end := min(i+12, len(r))
		return strconv.Quote(string(r[i:end]))
	}
	return fmt.Sprintf(" at character %d: have %s, seed has %s", i+1, clip(g), clip(w))
}

// checkCoverage requires every bullet of every seed to belong to exactly
// one initiative.
func (l *loader) checkCoverage() {
	owners := map[string][]string{} // "file:line" → initiative files
	for _, in := range l.c.Initiatives {
		for _, s := range in.Sources {
			k := fmt.Sprintf("%s:%d", s.File, s.Line)
			owners[k] = append(owners[k], path.Base(in.File))
		}
	}
	files := make([]string, 0, len(l.c.Seeds))
	for name := range l.c.Seeds {
		files = append(files, name)
	}
	sort.Strings(files)
	for _, name := range files {
		for _, b := range l.c.Seeds[name].Bullets {
			k := fmt.Sprintf("%s:%d", name, b.Line)
			switch o := owners[k]; len(o) {
			case 0:
				l.errf(name, b.Line, "seed bullet covered by no initiative")
			case 1:
			default:
				l.errf(name, b.Line, "seed bullet covered by %d initiatives: %s", len(o), strings.Join(o, ", "))
			}
		}
	}
}

// checkFacets holds the facet vocabulary of the taxonomy (the words a
// question names an audience, kind or region by) to the same rules as
// every term, and wants it for each entry in both languages: a facet
// without words could never be asked for. A place belongs to one region
// at most.
func (l *loader) checkFacets() {
	t := &l.c.Taxonomy
	f := TaxonomyFile
	root := l.taxonomy
	if root == nil {
		return // reported by loadTaxonomy
	}
	kinds := make([]Label, len(t.Kinds))
	for i, k := range t.Kinds {
		kinds[i] = Label{ID: k.ID, Terms: k.Terms}
	}
	for _, list := range []struct {
		key    string
		labels []Label
	}{{"audiences", t.Audiences}, {"kinds", kinds}, {"regions", t.Regions}} {
		for i, lb := range list.labels {
			idx := strconv.Itoa(i)
			for _, lang := range []string{"ja", "en"} {
				terms := lb.Terms.In(lang)
				if len(terms) == 0 {
					l.errf(f, pos(root, list.key, idx), "%s %q has no terms.%s: the words a question names it by", singular[list.key], lb.ID, lang)
				}
				for j, term := range terms {
					l.checkNotStopwords(f, pos(root, list.key, idx, "terms", lang, strconv.Itoa(j)), singular[list.key]+" "+strconv.Quote(lb.ID), term)
				}
			}
		}
	}
	for i, o := range t.Organizations {
		for _, term := range o.Aliases.All() {
			l.checkNotStopwords(f, pos(root, "organizations", strconv.Itoa(i), "aliases"), "organization "+strconv.Quote(o.ID), term)
		}
	}
	where := map[string]string{} // lower-case place → region id ("" for places)
	place := func(term, region string, line int) {
		k := strings.ToLower(strings.TrimSpace(term))
		if k == "" {
			l.errf(f, line, "empty place")
			return
		}
		if first, dup := where[k]; dup {
			l.errf(f, line, "place %q is listed twice (in %s and %s)", term, regionName(first), regionName(region))
			return
		}
		where[k] = region
	}
	for i, r := range t.Regions {
		for _, term := range r.Terms.All() {
			place(term, r.ID, pos(root, "regions", strconv.Itoa(i), "terms"))
		}
	}
	for _, term := range t.Places.All() {
		place(term, "", pos(root, "places"))
	}
	for i, a := range t.Areas {
		line := pos(root, "areas", strconv.Itoa(i))
		if len(a.Holds) == 0 {
			l.errf(f, line, "area %d holds no region", i+1)
		}
		for _, id := range a.Holds {
			if l.c.Region(id) == (Text{}) {
				l.errf(f, line, "area %d holds unknown region %q", i+1, id)
			}
		}
		for _, lang := range []string{"ja", "en"} {
			if len(a.Terms.In(lang)) == 0 {
				l.errf(f, line, "area %d has no terms.%s: the words a question names it by", i+1, lang)
			}
		}
		for _, term := range a.Terms.All() {
			l.checkNotStopwords(f, line, "area", term)
			place(term, "area", line)
		}
	}
}

func regionName(id string) string {
	switch id {
	case "":
		return "places"
	case "area":
		return "areas"
	}
	return "region " + strconv.Quote(id)
}

// loadSituations reads the situations and checks every reference: the
// audiences and kinds against the taxonomy, the concepts of their cues
// against the vocabulary, their programmes against the initiatives, and
// their contact topics. A situation needs cues, and words in both
// languages where a cue has words of its own.
func (l *loader) loadSituations() {
	var doc struct {
		Situations []Situation `yaml:"situations"`
	}
	root, ok := l.decode(SituationsFile, &doc)
	if !ok {
		return
	}
	f := SituationsFile
	concepts := map[string]bool{}
	for _, c := range l.c.Vocabulary.Concepts {
		concepts[c.ID] = true
	}
	seen := map[string]int{}
	for i, s := range doc.Situations {
		idx := strconv.Itoa(i)
		l.checkID(f, pos(root, "situations", idx, "id"), s.ID, seen)
		l.checkText(f, root, s.Label, "situations", idx, "label")
		l.ref(f, root, "audiences", s.Who, "situations", idx, "who")
		l.ref(f, root, "kinds", s.Kinds, "situations", idx, "kinds")
		for j, t := range s.Contacts {
			if !knownTopic(t) {
				l.errf(f, pos(root, "situations", idx, "contacts", strconv.Itoa(j)), "unknown contact topic %q (want one of %s)", t, strings.Join(ContactTopics, ", "))
			}
		}
		switch {
		case s.Decisive && !s.Outside:
			l.errf(f, pos(root, "situations", idx), "situation %q is decisive but not outside: only a look-alike decides that a question is not this bot's", s.ID)
		case s.Outside && (len(s.Programmes)+len(s.Who)+len(s.Kinds)+len(s.Contacts) > 0 || s.Now):
			l.errf(f, pos(root, "situations", idx), "situation %q is outside the domain and so calls for no programme, audience, kind, contact or urgency", s.ID)
		case !s.Outside && len(s.Programmes) == 0:
			l.errf(f, pos(root, "situations", idx), "situation %q calls for no programme", s.ID)
		}
		for j, id := range s.Programmes {
			if _, ok := l.c.byID[id]; !ok {
				l.errf(f, pos(root, "situations", idx, "programmes", strconv.Itoa(j)), "unknown initiative id %q", id)
			}
		}
		if len(s.Cues) == 0 {
			l.errf(f, pos(root, "situations", idx), "situation %q has no cues", s.ID)
		}
		for j, c := range s.Cues {
			cidx := strconv.Itoa(j)
			line := pos(root, "situations", idx, "cues", cidx)
			for _, id := range c.Concepts {
				if !concepts[id] {
					l.errf(f, line, "unknown concept id %q (see %s)", id, VocabularyFile)
				}
			}
			switch {
			case len(c.Concepts)+len(c.JA)+len(c.EN) == 0:
				l.errf(f, line, "situation %q: empty cue #%d", s.ID, j+1)
			case len(c.Concepts) == 0 && (len(c.JA) == 0 || len(c.EN) == 0):
				l.errf(f, line, "situation %q: cue #%d has words in one language only; add the other or a concept", s.ID, j+1)
			}
			for _, lt := range []struct {
				lang  string
				terms []string
			}{{"ja", c.JA}, {"en", c.EN}} {
				for k, term := range lt.terms {
					if strings.TrimSpace(term) == "" {
						l.errf(f, line, "situation %q: empty term in cue #%d", s.ID, j+1)
						continue
					}
					l.checkNotStopwords(f, pos(root, "situations", idx, "cues", cidx, lt.lang, strconv.Itoa(k)), "situation "+strconv.Quote(s.ID), term)
				}
			}
		}
	}
	l.c.Situations = doc.Situations
}
