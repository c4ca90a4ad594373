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
package match
