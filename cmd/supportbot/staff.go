package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/supportbot/supportbot/internal/admin"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/insight"
	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/staff"
)

// What the staff's views read of the log: every distinct unanswered text
// the store returns by default, grouped (the page lists the first
// groups, the digest fewer); the download reads as many as the CLI's
// --unanswered-jsonl.
const (
	viewGroups     = 1000
	downloadTexts  = 100_000
	downloadGroups = 100_000
)

// staffInsights summarises the question log for the admin page
// (admin.Insights) and the Slack staff channel (slack.Insights), each in
// the plain data of its own, with the names of the knowledge answering
// now.
type staffInsights struct {
	log bot.QuestionLog
	// catalog is the live knowledge's, for names and categories; nil
	// leaves ids as they are.
	catalog func() *catalog.Catalog
}

// summarize counts the log over [since, until) and summarises it.
func summarize(ctx context.Context, log bot.QuestionLog, cat *catalog.Catalog, since, until time.Time, texts, groups int) (insight.Summary, error) {
	c, err := log.Counts(ctx, bot.LogQuery{Since: since, Until: until, Zone: insight.Zone, Unanswered: texts})
	if err != nil {
		return insight.Summary{}, fmt.Errorf("insights: %w", err)
	}
	var cats map[string][]string
	if cat != nil {
		cats = categoriesOf(cat)
	}
	return insight.Summarize(c, insight.Options{Categories: cats, Unanswered: groups}), nil
}

func (s staffInsights) cat() *catalog.Catalog {
	if s.catalog == nil {
		return nil
	}
	return s.catalog()
}

// Report implements admin.Insights.
func (s staffInsights) Report(ctx context.Context, since, until time.Time) (admin.Report, error) {
	cat := s.cat()
	sum, err := summarize(ctx, s.log, cat, since, until, 0, viewGroups)
	if err != nil {
		return admin.Report{}, err
	}
	return adminReport(sum, cat), nil
}

// WriteUnanswered implements admin.Insights: the lines of `supportbot
// insights --unanswered-jsonl`.
func (s staffInsights) WriteUnanswered(ctx context.Context, since, until time.Time, w io.Writer) error {
	sum, err := summarize(ctx, s.log, s.cat(), since, until, downloadTexts, downloadGroups)
	if err != nil {
		return err
	}
	return writeUnansweredJSONL(w, sum)
}

// Digest implements slack.Insights.
func (s staffInsights) Digest(ctx context.Context, since, until time.Time) (slack.Digest, error) {
	cat := s.cat()
	sum, err := summarize(ctx, s.log, cat, since, until, 0, viewGroups)
	if err != nil {
		return slack.Digest{}, err
	}
	return slackDigest(sum, cat), nil
}

// dayOf is the start of a Summary's day ("2026-12-01") in Japan.
func dayOf(date string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, date, japan)
	if err != nil {
		return time.Time{}
	}
	return t
}

func programmeNames(cat *catalog.Catalog, id string) admin.Names {
	if cat == nil {
		return admin.Names{}
	}
	in, ok := cat.Initiative(id)
	if !ok {
		return admin.Names{}
	}
	return admin.Names{JA: in.Name.JA, EN: in.Name.EN}
}

// adminReport is a Summary in the admin page's terms.
func adminReport(s insight.Summary, cat *catalog.Catalog) admin.Report {
	r := admin.Report{
		Since: s.Since, Until: s.Until, Questions: s.Questions, NoMatch: s.Outcomes[bot.OutcomeNoMatch], NoMatchRate: s.NoMatchRate,
		Up: s.Feedback.Up, Down: s.Feedback.Down,
	}
	for _, o := range bot.Outcomes() {
		r.Outcomes = append(r.Outcomes, admin.Count{ID: string(o), N: s.Outcomes[o]})
	}
	for _, d := range s.Days {
		r.Days = append(r.Days, admin.Day{Date: dayOf(d.Date), Questions: d.Questions, NoMatch: d.NoMatch, Up: d.Feedback.Up, Down: d.Feedback.Down})
	}
	for _, g := range s.Unanswered {
		r.Unanswered = append(r.Unanswered, admin.Unanswered{Text: g.Text, Count: g.Count, Lang: string(g.Lang), Examples: g.Examples, Last: g.Last})
	}
	for _, p := range s.Programmes {
		r.Programmes = append(r.Programmes, admin.Programme{ID: p.ID, Name: programmeNames(cat, p.ID), Shown: p.Shown, First: p.First, Up: p.Up, Down: p.Down})
	}
	for _, d := range s.Categories {
		sh := admin.Share{ID: d.ID, Questions: d.Questions, Share: d.Share}
		if cat != nil {
			if c, ok := cat.Category(d.ID); ok {
				sh.Name = admin.Names{JA: c.Label.JA, EN: c.Label.EN}
			}
		}
		r.Categories = append(r.Categories, sh)
	}
	for _, d := range s.Channels {
		r.Channels = append(r.Channels, admin.Share{ID: d.ID, Questions: d.Questions, Share: d.Share})
	}
	for _, d := range s.Languages {
		r.Languages = append(r.Languages, admin.Share{ID: d.ID, Questions: d.Questions, Share: d.Share})
	}
	return r
}

// slackDigest is a Summary in the staff channel's terms, programmes named
// in Japanese.
func slackDigest(s insight.Summary, cat *catalog.Catalog) slack.Digest {
	d := slack.Digest{
		Since: s.Since, Until: s.Until, Questions: s.Questions, NoMatch: s.Outcomes[bot.OutcomeNoMatch], NoMatchRate: s.NoMatchRate,
		Up: s.Feedback.Up, Down: s.Feedback.Down,
	}
	for _, day := range s.Days {
		d.Days = append(d.Days, slack.DigestDay{Date: dayOf(day.Date), Questions: day.Questions, NoMatch: day.NoMatch})
	}
	for _, g := range s.Unanswered {
		d.Unanswered = append(d.Unanswered, slack.DigestCount{Label: g.Text, Count: g.Count})
	}
	for _, p := range s.Programmes {
		n := programmeNames(cat, p.ID)
		name := n.JA
		if name == "" {
			name = p.ID
		}
		d.Programmes = append(d.Programmes, slack.DigestProgramme{Name: name, Shown: p.Shown, Up: p.Up, Down: p.Down})
	}
	for _, c := range s.Channels {
		d.Channels = append(d.Channels, slack.DigestCount{Label: c.ID, Count: c.Questions})
	}
	for _, l := range s.Languages {
		d.Languages = append(d.Languages, slack.DigestCount{Label: l.ID, Count: l.Questions})
	}
	return d
}

// staffPosts wires the staff channel: a notice of every refused reload
// (queued off the reload, once across replicas), and the weekly digest
// at its schedule. It returns what must run beside the server.
func staffPosts(cfg config, s *slack.Adapter, claims bot.Claims, insights *staffInsights, log *slog.Logger) (hook func(context.Context, publish.Attempt), background []func(context.Context) error) {
	holder := staff.Holder()
	notices := staff.NewNotices(staff.NoticesConfig{Claims: claims, Holder: holder, Logger: log})
	background = append(background, notices.Run)
	hook = func(ctx context.Context, a publish.Attempt) {
		if a.Result != publish.ResultRefused {
			return
		}
		r := slack.Refusal{Trigger: string(a.Trigger), Version: a.Version, Running: a.Running, Check: string(a.Check), Reason: a.Reason, At: a.At}
		notices.Notify(ctx, fmt.Sprintf("refused:%s:%s:%s", a.Version, a.Running, a.Check), func(ctx context.Context) error {
			return s.PostRefusal(ctx, r)
		})
	}
	switch {
	case cfg.InsightsSchedule.IsZero():
		log.Info("weekly digest off (INSIGHTS_SCHEDULE=off)")
	case insights == nil || claims == nil:
		log.Info("weekly digest off: the question log is off (QUESTION_LOG=off)")
	default:
		w := &staff.Weekly{
			Schedule: cfg.InsightsSchedule, Claims: claims, Holder: holder, Logger: log,
			Post: func(ctx context.Context, since, until time.Time) error {
				d, err := insights.Digest(ctx, since, until)
				if err != nil {
					return err
				}
				return s.PostDigest(ctx, d)
			},
		}
		background = append(background, w.Run)
	}
	return hook, background
}
