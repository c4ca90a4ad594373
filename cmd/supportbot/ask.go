package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/inmem"
)

// maxJSONLine bounds one line of `ask --json` input.
const maxJSONLine = 1 << 20

// newEngine loads the knowledge base and builds the dialog engine over
// store (nil: every question stands alone).
func newEngine(dir string, store bot.ConversationStore) (*dialog.Engine, error) {
	cat, err := loadCatalog(dir)
	if err != nil {
		return nil, err
	}
	return dialog.New(dialog.Config{Catalog: cat, Store: store})
}

func runAsk(env *environment, args []string) error {
	fl := flag.NewFlagSet("ask", flag.ContinueOnError)
	fl.SetOutput(env.stderr)
	dir := knowledgeFlag(fl, env)
	asJSON := fl.Bool("json", false, "read JSON Lines {\"id\",\"q\"} on stdin and write one JSON answer per line")
	explain := fl.Bool("explain", false, "show the matcher's evidence for each programme")
	if err := fl.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	b, err := newEngine(*dir, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return askJSON(env, b)
	}
	if fl.NArg() == 0 {
		return usageError{`ask: want a question, e.g. supportbot ask "中小企業向けの支援"`}
	}
	q := strings.Join(fl.Args(), " ")
	a, err := b.Answer(env.ctx, bot.Question{Text: q, Channel: "cli"})
	if err != nil {
		return err
	}
	writeAnswer(env.stdout, a)
	if *explain {
		_, r := b.Rank(q)
		fmt.Fprintln(env.stdout)
		r.Explain(env.stdout, 8)
	}
	return nil
}

type jsonQuestion struct {
	ID string `json:"id"`
	Q  string `json:"q"`
}

type jsonResult struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Score   float64      `json:"score"`
	Sources []bot.Source `json:"sources"`
}

type jsonAnswer struct {
	ID        string   `json:"id"`
	Lang      bot.Lang `json:"lang"`
	Confident bool     `json:"confident"`
	// Clarify is set when the bot asked back (the question was on topic
	// but unclear); Results are then its best guesses.
	Clarify bool         `json:"clarify,omitempty"`
	Results []jsonResult `json:"results"`
	US      int64        `json:"us"`
}

// askJSON answers JSON Lines. Each question is a fresh conversation, so
// the answers do not depend on the order of the lines.
func askJSON(env *environment, b *dialog.Engine) error {
	sc := bufio.NewScanner(env.stdin)
	sc.Buffer(make([]byte, 0, 64*1024), maxJSONLine)
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q jsonQuestion
		if err := json.Unmarshal([]byte(text), &q); err != nil {
			return fmt.Errorf("ask --json: line %d: %w", line, err)
		}
		out, err := answerJSON(env, b, q)
		if err != nil {
			return fmt.Errorf("ask --json: line %d: %w", line, err)
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("ask --json: write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("ask --json: line %d: longer than %d bytes", line+1, maxJSONLine)
		}
		return fmt.Errorf("ask --json: read: %w", err)
	}
	return nil
}

func answerJSON(env *environment, b *dialog.Engine, q jsonQuestion) (jsonAnswer, error) {
	start := time.Now()
	a, err := b.Answer(env.ctx, bot.Question{Text: q.Q, Channel: "cli"})
	us := time.Since(start).Microseconds()
	if err != nil {
		return jsonAnswer{}, err
	}
	out := jsonAnswer{ID: q.ID, Lang: a.Lang, Confident: a.Confident, Clarify: a.Kind == bot.KindClarify, Results: []jsonResult{}, US: us}
	if a.Confident {
		for i, c := range a.Cards {
			if i == 5 {
				break
			}
			out.Results = append(out.Results, jsonResult{ID: c.ID, Name: c.Title, Score: c.Score, Sources: c.Sources})
		}
	}
	return out, nil
}

// writeAnswer prints an answer for a terminal.
func writeAnswer(w io.Writer, a bot.Answer) {
	fmt.Fprintln(w, a.Text)
	for _, c := range a.Contacts {
		fmt.Fprintf(w, "\n  ☎ %s", c.Name)
		if c.Phone != "" {
			fmt.Fprintf(w, "  %s", c.Phone)
		}
		if c.URL != "" {
			fmt.Fprintf(w, "  %s", c.URL)
		}
		fmt.Fprintf(w, "\n    %s\n", c.What)
	}
	for i, c := range a.Cards {
		fmt.Fprintf(w, "\n%d. %s\n", a.Offset+i+1, c.Title)
		fmt.Fprintf(w, "   %s\n", strings.Join(c.Organizations, ", "))
		fmt.Fprintf(w, "   → %s\n", strings.Join(c.Audiences, ", "))
		fmt.Fprintf(w, "   %s\n", c.Summary)
		if c.NextStep != "" {
			fmt.Fprintf(w, "   ▶ %s\n", c.NextStep)
		}
		if c.URL != "" {
			fmt.Fprintf(w, "   🔗 %s\n", c.URL)
		}
		if c.Status != "" {
			fmt.Fprintf(w, "   ● %s\n", c.Status)
		}
		if d := c.Detail; d != nil {
			fmt.Fprintf(w, "   「%s」\n   (%s)\n", d.SeedText, d.Owner)
			for _, n := range d.Notes {
				fmt.Fprintf(w, "   - %s\n", n)
			}
			for _, f := range d.Facts {
				fmt.Fprintf(w, "   - %s [%s, %s]\n", f.Text, f.Source, f.Seen)
			}
		}
		fmt.Fprintf(w, "   %s\n", c.Citation)
	}
	if len(a.Suggestions) > 0 {
		labels := make([]string, len(a.Suggestions))
		for i, s := range a.Suggestions {
			labels[i] = s.Label
		}
		fmt.Fprintf(w, "\n[%s]\n", strings.Join(labels, "] ["))
	}
	if a.Footer != "" {
		fmt.Fprintf(w, "\n%s\n", a.Footer)
	}
}

func runChat(env *environment, args []string) error {
	fl := flag.NewFlagSet("chat", flag.ContinueOnError)
	fl.SetOutput(env.stderr)
	dir := knowledgeFlag(fl, env)
	if err := fl.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	b, err := newEngine(*dir, inmem.NewConversations(time.Hour, nil))
	if err != nil {
		return err
	}
	const conv = "cli:terminal"
	a, _ := b.Answer(env.ctx, bot.Question{Conversation: conv, Action: &bot.Action{Kind: bot.ActionGreet}, Channel: "cli"})
	writeAnswer(env.stdout, a)
	sc := bufio.NewScanner(env.stdin)
	sc.Buffer(make([]byte, 0, 64*1024), maxJSONLine)
	for {
		fmt.Fprint(env.stdout, "\n> ")
		if !sc.Scan() {
			fmt.Fprintln(env.stdout)
			return sc.Err()
		}
		text := strings.TrimSpace(sc.Text())
		if text == "/quit" || text == "/exit" {
			return nil
		}
		q := bot.Question{Conversation: conv, Text: text, Channel: "cli"}
		// A quick-reply label typed as shown acts like the button.
		for _, s := range a.Suggestions {
			if text == s.Label {
				act := s.Action
				q.Action = &act
			}
		}
		next, err := b.Answer(env.ctx, q)
		if err != nil {
			return err
		}
		a = next
		writeAnswer(env.stdout, a)
	}
}
