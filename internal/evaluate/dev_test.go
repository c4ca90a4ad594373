package evaluate

import (
	"context"
	"os"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// targets are floors a change must not push the bot below: the figures
// of the whole file (Floor) and, where questions carry a class, per
// class: Hit@1 for in-scope classes, out-of-scope rejection for "oos".
type targets struct {
	Floor
	classes map[string]float64
}

// issueTargets are the targets of the bot-core issue (DevFloor, which a
// reload of the knowledge is held to as well). A change that makes
// answers worse fails here rather than landing quietly.
var issueTargets = targets{Floor: DevFloor()}

// TestTargets holds the bot to the targets on the development set
// (shared/eval/dev.jsonl, copied) and on heldout.jsonl, questions written
// independently from the seed alone to check that improvements generalise.
// heldout2.jsonl is harder on purpose (messy, long messages and
// out-of-scope questions that share the domain's words: 「補助金で太陽光
// パネル」, 「防犯カメラの設置業者」); it is held to floors just under the
// figures measured when it was added, so it can only improve.
//
// heldout3.jsonl was written by someone who never saw knowledge/, by
// class (situations, facets, names, kana, several programmes, look-alikes
// out of scope); it stands in for the questions of people outside the
// project and is never edited. Its floors are just under the figures
// reached when the understanding layers were built (issue 11), per class
// too. understanding-dev.jsonl holds the development questions of that
// work, written per persona before each layer was extended for them; it
// is a regression file with floors under its figures.
//
// personas-dev.jsonl is the development set of the work after that: 320
// questions by 15 personas, written without seeing knowledge/ and
// committed before the changes it guided. Its floors, and heldout3's,
// are just under the figures those changes reached, and were raised
// again to just under the figures of the work on broad programmes, core
// words, situation cues and English (understanding3).
//
// heldout4.jsonl (220 questions) and lookalike-dev.jsonl (200, most of
// them look-alikes out of scope) were written the same way, each
// committed before the code it measures. heldout4 is read by its figures
// only (eval --summary), never question by question: it stays a held-out
// check. lookalike-dev guided the work on look-alikes. Both are held to
// just under their figures after that work. Every look-alike word added
// was then tried in questions of the domain that merely mention it (a
// lure naming a brand, a workplace, a victim's words; the lookalikes
// rule file of internal/match pins them), and the ones that took such
// questions out were taken back: the floors are under what was left.
//
// lookalike-dev2.jsonl (240: 160 look-alikes, 80 near misses in scope)
// was written the same way for the fifth round and guided it: decisive
// look-alikes, curiosity, questions about the bot, katakana inside
// hiragana words, misspelt names between words spelt right, broad
// programmes' audience keywords. Rejection went from 0.67 to 0.94 on it,
// 0.84 to 0.89 on lookalike-dev and 0.74 to 0.79 on heldout4, at the
// cost of a question in personas-dev (a false rejection that an
// accidental タダ in いただけます had answered) and three in
// understanding-dev (two parents' talks now rank the leaflets first, the
// cost of the broad-programme rule, which gained on five other sets; an
// unclear question gets the categories instead of guesses): their floors
// were lowered by that much and every other floor raised to just under
// the new figures.
// situations-dev.jsonl (220: situations, facets, names in the other
// script, look-alikes; the same way) guided the rest of the round:
// messages in romaji, trades naming a small business, a country's
// institutions in Japanese, casual ransom demands. Its floors are under
// its figures after that, and personas-dev's false rejection is back
// under its ceiling. twin5-dev.jsonl (200) was written later from
// heldout5's own brief, same classes and mix, by another session: a
// development twin of the held-out set, which guided the last changes
// (a look-alike's own trouble words, phone frauds, police-and-business
// networks). heldout5.jsonl (200, the same way) is the fifth round's
// held-out check, read by its figures only (whole-file floors since the
// seventh round, below).
//
// The sixth round added two learned pieces of evidence, the models of
// internal/learned (naive Bayes over words, concepts and character
// pairs: is a question for this bot, and which programmes answer it),
// trained on every file here but heldout4, heldout5 and heldout6, and on
// 3,900 questions written blind for them (internal/learned/testdata).
// Measured with models trained without each file (go test
// ./internal/learned -run TestCrossValidation -v), the scope model turned
// away 104 more questions out of scope for 10 in scope lost and the
// programme model put the right programme first for 97 more; heldout4
// read Hit@1 0.904 → 0.960 and rejection 0.814 → 0.930, heldout5 0.860
// → 0.927 and 0.700 → 0.800, with no question in scope lost on either.
// The whole-file floors were raised to just under the new figures (the
// class floors stay where they were), except for three files the models
// learned, whose figures with them moved down a question while their
// cross-validated figures rose: understanding-dev's false rejection
// ceiling, 0.01 → 0.011 ("keep an eye on our systems": eye is a word of
// eyesight questions), lookalike-dev's rejection floor, 0.94 → 0.93 (0.946
// → 0.938; cross-validated 0.900 → 0.938) and lookalike-dev2's Hit@1
// floor, 0.97 → 0.96 (one of its 80 questions in scope; cross-validated
// 0.950 → 0.975). Since the models learned these files, their figures
// with them are a regression check; the cross-validated ones are the
// measure.
//
// The seventh round gave the models 3,300 more blind questions (train-n to
// train-x, most of the new ones look-alikes, English ones above all) and
// the scope model a threshold per language (learned.Threshold: 0.5 for an
// English question without a situation of the domain, 0.9 otherwise),
// each by the cross-validated figures (286 turned away for 21 lost over
// the 34 files, against 258 for 21 at 0.8 for both). Held out: heldout4
// rejection 0.930 → 0.953, heldout7 (new, blind) 0.808 → 0.865, for
// about a question in scope each (below). Floors lowered by the question
// each file lost: heldout4's kana class 1 → 0.93 (one of its 15), its
// rejection floor raised 0.92 → 0.95; personas-dev's false rejection 0.01 → 0.013 (3 of
// 258); understanding-dev's Hit@1 0.96 → 0.95, Hit@3 0.98 → 0.97, false
// rejection 0.011 → 0.02 and facet class 0.99 → 0.97 ("I live in
// Hokkaido, what can I join": in scope by its writer, about something
// else to the models; cross-validated its false rejection reads 0.007 →
// 0.021 by the scope model); heldout2's rejection floor raised 0.83 →
// 0.91, heldout3's 0.97 → 0.99. Words the labelled questions tie to the
// domain no longer take a question out of it (match's domainWord):
// heldout3 Hit@1 0.932 → 0.942, false rejection 0.026 → 0.016 and
// lookalike-dev2 0.975 → 0.988 and 0.013 → 0, their floors raised with
// them. The programme model's weight 0.5 → 0.8 and three more training
// files raised heldout4 to 0.966 / 0.983 / 0.953 / 0.006 and the files
// learned; heldout4's, personas-dev's, understanding-dev's and
// situations-dev's floors were raised to just under their figures. With
// train-ab and train-ac (online life that is not security support)
// twin5-dev loses a question to the scope model (false rejection 0.007 →
// 0.013, Hit@3 0.993 → 0.987; cross-validated over the 39 files the
// scope model turns away 53 more for 6 fewer kept): its ceiling 0.01 →
// 0.014 and Hit@3 floor 0.99 → 0.98.
//
// The held-out files heldout5 to heldout8 have whole-file floors since
// the end of the seventh round, just under their figures then (no class
// floors; TestTargets names no question of a file with classes): they
// stay out of the models' training, so a change that costs them shows.
// train-ad and train-ae (the words of safety and security in other
// senses), learned last, moved heldout5's rejection 0.860 → 0.880 and
// heldout7's 0.846 → 0.865, and cost heldout7 a question in scope (Hit@3
// 0.966 → 0.959, false rejection 0.007 → 0.014) and personas-dev one
// (Hit@1 0.973 → 0.969, false rejection 0.012 → 0.016); cross-validated
// over the 41 files the scope model turned away 34 more for 2 fewer kept
// in scope and the programme model put 21 more first. Those floors moved
// with them.
//
// The eighth round: heldout9 (200, blind, committed first) has a
// whole-file floor like heldout5 to heldout8. Six more training files
// (train-af to train-ak, 1,800 questions) and phrases for English
// questions in the scope model (learned.Phrase; English threshold 0.5 →
// 0.4; cross-validated over the 47 files, English lost and answered out
// of scope 90 / 395 → 84 / 349) raised the held-out rejection: heldout4
// 0.953 → 0.977, heldout5 0.880 → 0.900, heldout6 0.947 → 0.982,
// heldout7 0.865 → 0.904, heldout8 0.923 → 0.942; their floors with
// them. heldout6 lost a question in scope to train-ai to train-ak (Hit@1
// 0.923 → 0.916, false rejection 0.028 → 0.035): its floors 0.92 → 0.91
// and 0.03 → 0.036. heldout3, which the models learn, answered one of its
// 39 questions out of scope with phrases ("Grant for hiring young
// employees at a small company?"): its rejection floor 0.99 → 0.97.
// train-al to train-an (short queries, Japanese as typed on LINE, facets)
// cost heldout5 and heldout8 a first place each (Hit@1 0.960 → 0.953,
// 0.953 → 0.946; cross-validated on the 47 files before them, 16 more
// out of scope turned away for one in scope lost, first places level):
// heldout8's Hit@1 floor 0.95 → 0.94. train-ao to train-aq (close
// programmes told apart, one writer's best first) cost heldout7 three
// first places (0.953 → 0.932; cross-validated on the 50 files before
// them, 7 more first places and 8 fewer lost in scope, for 23 more
// answered out of scope): its Hit@1 floor 0.95 → 0.93. train-ar to
// train-at and Japanese judged out of scope at p ≥ 0.8 (was 0.9) kept a
// question in scope each on heldout6, heldout7 and heldout8 (false
// rejection 0.035 → 0.028, 0.014 → 0.007, 0.014 → 0.007; their floors
// with them) and cost heldout5 a question out of scope and a first place
// (rejection 0.900 → 0.880, Hit@1 0.960 → 0.953, Hit@3 0.973 → 0.967)
// and heldout4 a first place (0.960 → 0.955): those floors 0.89 → 0.88,
// 0.97 → 0.96 and 0.96 → 0.95. Cross-validated on the 53 files before
// them, 22 more out of scope turned away for one first place. Every
// feature speaking in the scope model (learned.ScopeMinQuestions 3 → 1)
// with the thresholds checked again (Japanese 0.7, English with a
// situation 0.8) raised heldout9's rejection 0.935 → 0.957 (its floor
// 0.93 → 0.95) and cost heldout4 a question in scope and a first place
// (Hit@1 0.955 → 0.949, Hit@3 0.983 → 0.977, false rejection 0.006 →
// 0.011; floors 0.95 → 0.94, 0.98 → 0.97, 0.01 → 0.012); cross-validated
// over the 56 files, 88 more out of scope turned away for 2 fewer lost in
// scope and 3 more first places. The files the models learn read higher
// with it (a question's own rare words are in the model now): their
// figures are a regression check, the cross-validated ones the measure.
// train-au to train-aw (a day of messages in each language; trouble now
// against preparing) gave heldout4 its question back and took heldout6's
// again (false rejection 0.028 → 0.035, Hit@1 0.923 → 0.916; floors
// 0.92 → 0.91, 0.03 → 0.036), heldout5 a third place (Hit@3 0.967 →
// 0.960); cross-validated on the 56 files before them, 3 fewer lost in
// scope for 7 more answered out of scope and one first place.
//
// The ninth round: the scope model a logistic regression (learned.Scope)
// with its thresholds chosen again by cross-validation, its word taken
// over the rules' when it is surer still (learned.Sure), and a word it
// knows kept from the unknown subjects under learned.DomainLean. Over the
// 59 files, cross-validated, 207 lost in scope and 640 answered out of
// scope became 156 and 527 (rejection 0.915 → 0.930). Held out (Hit@1 /
// Hit@3 / rejection / false rejection): heldout4 0.955 / 0.977 / 0.977 /
// 0.006 → 0.960 / 0.983 / 1.000 / 0.000; heldout5 0.953 / 0.960 / 0.880 /
// 0.027 → 0.967 / 0.973 / 0.900 / 0.013; heldout6 0.916 / 0.951 / 0.982
// / 0.035 → 0.930 / 0.958 / 0.965 / 0.028 (one more answered out of
// scope); heldout7 0.946 / 0.966 / 0.904 / 0.007 → 0.939 / 0.959 / 0.904
// / 0.014 (one question in scope lost); heldout8 rejection 0.942 →
// 0.962; heldout9 0.957 → 0.978. Floors moved with them. heldout10
// (200, blind, written after that model by a session that read only the
// seed, the shared facts and the shared dev set, committed unchanged)
// read 0.955 / 0.974 / 0.826 / 0.013 at once (the naive Bayes model of
// 7b36256 0.955 / 0.974 / 0.826 / 0.019): a fresh hand, and rejection
// far under the cross-validated 0.930. Its floor is that reading.
//
// The tenth round: trouble now that the scope model takes out of the
// domain gets the contact points alone, and so does a private person's
// trouble with a service of private life (Concept.Personal, taxonomy
// private). Cross-validated over the 59 files: 156 / 527 → 154 / 467
// (rejection 0.930 → 0.938, first places 8,784 → 8,789), and 465 when
// naming only a private audience is enough (個人です). heldout5
// rejection 0.900 → 0.920, heldout6 0.930 / 0.958 / 0.965 / 0.028 →
// 0.937 / 0.965 / 0.965 / 0.021, heldout10 rejection 0.826 → 0.935.
// heldout11 (200, blind, written like heldout10 at a90dc94 and committed
// before this round's code) read 0.987 / 0.987 / 0.783 / 0.000 before
// and 0.987 / 0.987 / 0.913 / 0.000 after. Then the models learned
// train-ax and train-ay (600 more blind questions): heldout7 0.939 /
// 0.959 / 0.904 / 0.014 → 0.946 / 0.966 / 0.942 / 0.007, heldout8 and
// heldout9 rejection 1.000, heldout10 0.961 / 0.981 / 0.957 / 0.013,
// heldout11 0.981 / 0.981 / 0.957 / 0.006 (cross-validated over the 59
// older files worse: 154 / 465 → 175 / 447; README, tenth round).
// Floors moved with them. heldout12 (200, blind, no class emphasised,
// committed at cd64c08 before the eleventh round's code) read 0.968 /
// 0.981 / 0.932 / 0.006 before it.
func TestTargets(t *testing.T) {
	b := dialogtest.WithStore(t, nil)
	for file, want := range map[string]targets{
		"testdata/dev.jsonl":      issueTargets,
		"testdata/heldout.jsonl":  issueTargets,
		"testdata/heldout2.jsonl": {Floor: Floor{Hit1: 0.99, Hit3: 0.99, Rejection: 0.91, FalseRejection: 0.01}},
		"testdata/heldout3.jsonl": {Floor: Floor{Hit1: 0.94, Hit3: 0.95, Rejection: 0.97, FalseRejection: 0.02},
			classes: map[string]float64{"situation": 0.79, "facet": 0.88, "name": 1, "kana": 0.76, "multi": 0.88, "oos": 0.94}},
		"testdata/heldout4.jsonl": {Floor: Floor{Hit1: 0.95, Hit3: 0.98, Rejection: 0.99, FalseRejection: 0.012},
			classes: map[string]float64{"situation": 0.81, "facet": 0.97, "name": 1, "kana": 0.93, "multi": 0.91, "oos": 0.83}},
		"testdata/lookalike-dev.jsonl": {Floor: Floor{Hit1: 0.99, Hit3: 0.99, Rejection: 0.93, FalseRejection: 0.01},
			classes: map[string]float64{"situation": 0.99, "facet": 1, "name": 1, "multi": 1, "oos": 0.93}},
		"testdata/lookalike-dev2.jsonl": {Floor: Floor{Hit1: 0.98, Hit3: 0.98, Rejection: 0.96, FalseRejection: 0.01},
			classes: map[string]float64{"situation": 0.97, "facet": 0.82, "name": 1, "multi": 0.83, "oos": 0.95}},
		"testdata/situations-dev.jsonl": {Floor: Floor{Hit1: 0.96, Hit3: 0.97, Rejection: 0.98, FalseRejection: 0.02},
			classes: map[string]float64{"situation": 0.92, "facet": 0.97, "kana": 0.8, "oos": 0.96}},
		"testdata/twin5-dev.jsonl": {Floor: Floor{Hit1: 0.97, Hit3: 0.98, Rejection: 0.95, FalseRejection: 0.014},
			classes: map[string]float64{"situation": 0.88, "facet": 0.97, "name": 1, "kana": 0.9, "multi": 0.95, "oos": 0.92}},
		"testdata/personas-dev.jsonl": {Floor: Floor{Hit1: 0.96, Hit3: 0.97, Rejection: 0.98, FalseRejection: 0.017},
			classes: map[string]float64{"situation": 0.84, "facet": 0.88, "name": 1, "kana": 0.94, "multi": 0.96, "oos": 0.98}},
		"testdata/heldout5.jsonl":  {Floor: Floor{Hit1: 0.96, Hit3: 0.97, Rejection: 0.92, FalseRejection: 0.014}},
		"testdata/heldout6.jsonl":  {Floor: Floor{Hit1: 0.93, Hit3: 0.96, Rejection: 0.96, FalseRejection: 0.022}},
		"testdata/heldout7.jsonl":  {Floor: Floor{Hit1: 0.94, Hit3: 0.96, Rejection: 0.94, FalseRejection: 0.008}},
		"testdata/heldout8.jsonl":  {Floor: Floor{Hit1: 0.95, Hit3: 0.97, Rejection: 0.99, FalseRejection: 0.01}},
		"testdata/heldout9.jsonl":  {Floor: Floor{Hit1: 0.97, Hit3: 0.98, Rejection: 0.99, FalseRejection: 0.01}},
		"testdata/heldout10.jsonl": {Floor: Floor{Hit1: 0.96, Hit3: 0.98, Rejection: 0.95, FalseRejection: 0.014}},
		"testdata/heldout11.jsonl": {Floor: Floor{Hit1: 0.98, Hit3: 0.98, Rejection: 0.95, FalseRejection: 0.007}},
		"testdata/heldout12.jsonl": {Floor: Floor{Hit1: 0.96, Hit3: 0.98, Rejection: 0.93, FalseRejection: 0.007}},
		"testdata/understanding-dev.jsonl": {Floor: Floor{Hit1: 0.96, Hit3: 0.97, Rejection: 0.99, FalseRejection: 0.02},
			classes: map[string]float64{"situation": 0.91, "facet": 0.97, "name": 1, "kana": 1, "multi": 0.96, "oos": 0.99}},
	} {
		t.Run(file, func(t *testing.T) { checkTargets(t, b, file, want) })
	}
}

func checkTargets(t *testing.T, b bot.Answerer, file string, want targets) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := ReadGold(f)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), b, items)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.All
	t.Logf("Hit@1 %.3f  Hit@3 %.3f  MRR@5 %.3f  Recall@5 %.3f  OOS rejection %.3f  false rejection %.3f",
		s.Hit1, s.Hit3, s.MRR5, s.Recall5, s.Rejection, s.FalseRejection)
	for _, o := range rep.Misses() {
		if o.Item.Class == "" { // files with classes are read by their figures, not question by question
			t.Logf("miss %s %q gold=%v got=%v confident=%v", o.Item.ID, o.Item.Q, o.Item.Gold, o.Lines, o.Confident)
		}
	}
	for class, floor := range want.classes {
		c, ok := rep.ByClass[class]
		got := c.Hit1
		if class == "oos" {
			got = c.Rejection
		}
		if !ok || got < floor-epsilon {
			t.Errorf("class %s: %.3f; want at least %.2f", class, got, floor)
		}
	}
	if err := want.Check(s); err != nil {
		t.Error(err)
	}
}
