package match

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Explain writes the ranking as `supportbot ask --explain` shows it: a
// header with what the matcher decided, then one line per result, best
// first, with its score, its specific score, the initiative's id and each
// piece of evidence as kind:term=weight. It writes at most limit results,
// every result when limit ≤ 0.
//
// The text is what the ranking golden files (testdata/explain) hold, so a
// change of weights or rules shows as a diff of it.
func (r Ranking) Explain(w io.Writer, limit int) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "[matcher] confident=%v category=%q urgent=%v on_topic=%v anchored=%v unknown=%q\n", r.Confident, r.Category, r.Urgent, r.OnTopic, r.Anchored, r.Unknown)
	// What the understanding layers found, each on its own line and only
	// when there is something to say; the full-text line only when the
	// bot asks back or offers nothing, the decisions it bears on.
	if len(r.Facets) > 0 {
		fmt.Fprintf(&b, "[facets] %s", facetList(r.Facets))
		if r.Listing {
			fmt.Fprintf(&b, " → listing %s", facetList(r.Listed))
		}
		b.WriteByte('\n')
	}
	if len(r.Situations) > 0 {
		fmt.Fprintf(&b, "[situations] %s", strings.Join(r.Situations, " "))
		if len(r.Contacts) > 0 {
			fmt.Fprintf(&b, " contacts=%s", strings.Join(r.Contacts, ","))
		}
		b.WriteByte('\n')
	}
	if len(r.Outside) > 0 {
		fmt.Fprintf(&b, "[outside] a need outside the domain: %s\n", strings.Join(r.Outside, " "))
	}
	switch {
	case len(r.Private) > 0:
		fmt.Fprintf(&b, "[private] a private person's trouble (%s): contact points, no programme\n", strings.Join(r.Private, " "))
	case r.Private != nil:
		fmt.Fprintf(&b, "[private] trouble off the domain: contact points, no programme\n")
	}
	if r.Scope.Out > 0 {
		fmt.Fprintf(&b, "[scope] about something else: p=%.2f (%s)\n", r.Scope.Out, strings.Join(r.Scope.Telling, " "))
	}
	if r.Scope.Vouched {
		fmt.Fprintf(&b, "[scope] in scope despite a need outside the domain: p=%.3f\n", r.Scope.In)
	}
	if len(r.Scope.Words) > 0 {
		fmt.Fprintf(&b, "[scope] words of labelled questions, not another subject: %s\n", strings.Join(r.Scope.Words, " "))
	}
	if r.Clarify {
		fmt.Fprintf(&b, "[clarify] best guesses; ask who=%v when=%v\n", r.AskWho, r.AskWhen)
	}
	if r.FullText.Best != "" && (r.Clarify || !r.Confident) {
		fmt.Fprintf(&b, "[fulltext] best=%s cover=%.2f\n", r.FullText.Best, r.FullText.Cover)
	}
	for i, res := range r.Results {
		if limit > 0 && i == limit {
			break
		}
		fmt.Fprintf(&b, "  %5.2f (specific %5.2f) %-34s", res.Score, res.Specific, res.Initiative.ID)
		for _, e := range res.Evidence {
			fmt.Fprintf(&b, " %s:%s=%.2f", e.Kind, e.Term, e.Weight)
		}
		b.WriteByte('\n')
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("match: explain: %w", err)
	}
	return nil
}

// facetList writes facets as type:id(term).
func facetList(fs []Facet) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = string(f.Type) + ":" + f.ID
		if f.Term != "" {
			parts[i] += "(" + f.Term + ")"
		}
	}
	return strings.Join(parts, " ")
}
