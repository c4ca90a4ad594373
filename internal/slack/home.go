package slack

import (
	"context"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// refreshHome publishes the Home tab in the person's language.
func (a *Adapter) refreshHome(ctx context.Context, team, user string) {
	q := a.withLocale(bot.Question{Conversation: conversation(team, user, ""), Action: &bot.Action{Kind: bot.ActionHelp}}, team, user)
	ans, ok := a.answer(ctx, q)
	if !ok {
		return
	}
	err := a.publishHome(ctx, user, renderHome(ans))
	a.logAnswer(ctx, "home", ans, err)
}

// renderHome builds the Home tab from the bot's help answer: how to ask,
// in Slack's three ways, and the categories as buttons.
func renderHome(a bot.Answer) []slackapi.Block {
	l := a.Lang
	blocks := []slackapi.Block{slackapi.NewHeaderBlock(plain(cut(wHomeTitle.in(l), maxHeaderText)))}
	blocks = append(blocks, textSections(escape(strings.TrimSpace(a.Text)))...)
	blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(wHomeWays.in(l)), nil, nil), slackapi.NewDividerBlock())
	if sug := suggestionBlocks(a.Suggestions); len(sug) > 0 {
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(wHomeAreas.in(l)), nil, nil))
		blocks = append(blocks, sug...)
	}
	blocks = append(blocks, contextBlocks(escape(a.Footer))...)
	if len(blocks) > maxViewBlocks {
		blocks = blocks[:maxViewBlocks]
	}
	return blocks
}
