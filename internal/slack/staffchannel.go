package slack

import (
	"context"
	"errors"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
)

// Insights makes the digest of the question log over [since, until), for
// /support insights in the staff channel.
type Insights interface {
	Digest(ctx context.Context, since, until time.Time) (Digest, error)
}

// ErrNoStaffChannel is the error of the staff posts when no staff channel
// is configured.
var ErrNoStaffChannel = errors.New("slack: no staff channel (SLACK_STAFF_CHANNEL)")

// insightsWords ask /support for the digest rather than a programme.
var insightsWords = map[string]bool{"insights": true, "インサイト": true, "レポート": true}

// isInsights reports whether the text after /support asks for the digest.
func isInsights(text string) bool {
	return insightsWords[strings.ToLower(plainText(text))]
}

// StaffChannelID reports whether s looks like the id of a channel the bot
// can post to: a public (C…) or private (G…, older) channel. Names
// ("#staff") are refused: /support insights compares the id Slack sends.
func StaffChannelID(s string) bool {
	return slackID(s) && (s[0] == 'C' || s[0] == 'G')
}

// PostDigest posts a digest to the staff channel and returns once Slack
// has it, or with the error of the last try (the adapter's retries).
func (a *Adapter) PostDigest(ctx context.Context, d Digest) error {
	return a.postStaff(ctx, renderDigest(d))
}

// PostRefusal tells the staff channel that a knowledge version was
// refused, and returns once Slack has it.
func (a *Adapter) PostRefusal(ctx context.Context, r Refusal) error {
	return a.postStaff(ctx, renderRefusal(r))
}

func (a *Adapter) postStaff(ctx context.Context, m message) error {
	if a.staffChannel == "" {
		return ErrNoStaffChannel
	}
	return a.postMessage(ctx, a.staffChannel, "", m)
}

// startInsights answers /support insights: the digest of the last seven
// days, for everyone in the staff channel to see, or elsewhere a note,
// for the person alone, that it is shown only there. Like a question, it
// is queued, and goes back in the acknowledgement when it is quick.
func (a *Adapter) startInsights(ctx context.Context, cmd slackapi.SlashCommand, received time.Time) (*message, *handoff) {
	if a.staffChannel == "" || a.insights == nil || cmd.ChannelID != a.staffChannel {
		a.logger(ctx).InfoContext(ctx, "insights asked outside the staff channel")
		return &message{Text: bilingual(wStaffOnly)}, nil
	}
	h := newHandoff()
	to := destination{responseURL: cmd.ResponseURL, issued: received, mode: respondInChannel}
	err := a.submit(ctx, func(ctx context.Context) {
		until := a.now()
		d, err := a.insights.Digest(ctx, until.Add(-7*24*time.Hour), until)
		m := message{Text: bilingual(wDigestFailed)}
		if err != nil {
			a.logger(ctx).WarnContext(ctx, "insights: no digest", "err", err)
			to.mode = respondEphemeral
		} else {
			m = renderDigest(d)
			m.inChannel = true
		}
		if h.offer(m) {
			return
		}
		if err := a.deliver(ctx, to, m); err != nil {
			a.logger(ctx).WarnContext(ctx, "insights not delivered", "err", err)
		}
	})
	if err != nil {
		return &message{Text: bilingual(wBusy)}, nil
	}
	return nil, h
}
