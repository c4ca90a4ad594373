// Package match ranks the initiatives of the catalog for an analysed
// question. It is pure: an Index is built once from the catalog and then
// only read, so one Index serves concurrent requests without locks.
//
// A score adds up evidence, each piece kept in the result's explanation:
// programme names and aliases found in the question (strongest), the
// initiative's keywords, vocabulary concepts found both in the question and
// in the initiative's fields (weighted by field and by how rare the concept
// is), intents the concepts carry (who asks: parent, teacher, SME…; what
// they need: consultation, grant, contest…; a region), and plain words
// shared with the initiative's text (BM25). A ranking is confident only
// when the best initiative has specific evidence and enough of it: words of
// the domain alone ("security", 対策) or stray words shared with a text do
// not make a programme fit.
//
// Rank runs named passes in order (rank.go): names, fuzzyNames, facets
// (facets.go: organisations, regions and places, kinds, audiences of the
// taxonomy), keywords, concepts, situations (situations.go: what people
// go through, from situations.yaml), translit (translit.go: names written
// in the other script), urgency, listAll, words and fulltext (fulltext.go:
// BM25 over the curated fields) gather evidence (evidence.go); decide
// settles whether the question is off the domain (its rules, then, for a
// question nothing ties to a programme or to trouble, the learned scope
// model of internal/learned), asks for a whole category or for a listing
// of facets (domain.go); results, confidence
// and clarify shape what is offered, and whether the bot asks back with
// best guesses (results.go); learned reorders a confident answer's
// programmes by the programme model of internal/learned. Every weight and threshold is in weights.go
// with its reason. Which kinds of programme mean preparing rather than trouble
// now, and which help in trouble, come from the knowledge base
// (taxonomy.yaml, learning: and help:).
//
// Ranking.Explain writes what `supportbot ask --explain` shows; the
// golden files under testdata/explain hold it for a few questions per
// rule, so a change of a weight or a rule shows as a diff.
package match
