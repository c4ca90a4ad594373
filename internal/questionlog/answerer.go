package questionlog

import (
	"context"

	"github.com/supportbot/supportbot/internal/bot"
)

// Wrap returns next with every question logged and every 👍/👎 checked
// and recorded.
func (l *Log) Wrap(next bot.Answerer) bot.Answerer { return logged{next, l} }

type logged struct {
	bot.Answerer
	l *Log
}

// Answer implements bot.Answerer. It adds a few microseconds to an
// answer: an id, a tag, and a record handed to the writer without
// waiting (BenchmarkAnswer).
func (w logged) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if q.Action != nil && q.Action.Kind == bot.ActionFeedback {
		return w.Answerer.Answer(ctx, w.l.vote(q))
	}
	a, err := w.Answerer.Answer(ctx, q)
	if err != nil || !asked(q) || a.Silent() {
		// Words relayed to the staff are not questions to the bot.
		return a, err
	}
	at := w.l.now()
	r := &bot.Record{
		AnswerID: newID(at), At: at, Conversation: q.Conversation, Channel: q.Channel,
		Lang: a.Lang, Outcome: bot.OutcomeOf(a), Text: q.Text,
	}
	if q.Action != nil {
		r.Action, r.Text = q.Action.Kind, ""
		if q.Action.Kind == bot.ActionAsk {
			r.Text = q.Action.Value
		}
	}
	if len(a.Cards) > 0 {
		r.Programmes = make([]string, len(a.Cards))
		for i, c := range a.Cards {
			r.Programmes[i] = c.ID
		}
		r.TopScore = a.Cards[0].Score
	}
	if !w.l.enqueue(entry{rec: r}) {
		return a, nil // not logged: nothing to vote on
	}
	a.ID = r.AnswerID
	if k := w.l.keys.Load(); k != nil && a.InvitesFeedback() {
		a.Feedback = bot.FeedbackFor(a.ID, k.tagFor(q.Conversation, a.ID))
	}
	return a, nil
}

// asked reports whether a turn is a question to log: everything a person
// wrote or tapped, but not platform events (a LINE follow, the web page
// greeting every visitor) and not votes, which are logged as votes.
func asked(q bot.Question) bool {
	if q.Action == nil {
		return true
	}
	switch q.Action.Kind {
	case bot.ActionGreet, bot.ActionIntro, bot.ActionFeedback:
		return false
	}
	return true
}

// vote checks a ballot against the conversation it arrived from and queues
// it; it returns the question the engine answers, which carries only the
// vote, or no vote when the ballot was refused: not a ballot, not tagged
// for this conversation (someone else's answer, an id made up), or no key
// yet to check it with.
func (l *Log) vote(q bot.Question) bot.Question {
	v, id, tag, err := bot.ParseBallot(q.Action.Value)
	k := l.keys.Load()
	ok := err == nil && k != nil && k.check(q.Conversation, id, tag)
	l.metrics.Feedback(string(v), ok)
	if ok {
		// A vote lost to a full queue is counted there; the person is
		// thanked all the same: the failure is ours.
		l.enqueue(entry{ballot: &bot.Ballot{AnswerID: id, Conversation: q.Conversation, Vote: v, At: l.now()}})
	} else {
		v = ""
		l.log.Debug("vote refused", "conv", bot.HashID(q.Conversation), "parsed", err == nil, "key", k != nil)
	}
	out := q
	out.Action = &bot.Action{Kind: bot.ActionFeedback, Value: string(v)}
	return out
}
