package match

import (
	"bytes"
	"fmt"
	"io"
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
