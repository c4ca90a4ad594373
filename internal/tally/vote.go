package tally

import "github.com/supportbot/supportbot/internal/bot"

// VoteValue is how both stores keep a vote or a rating in a column: 1
// for 👍, -1 for 👎; ok is false for anything else.
func VoteValue(v bot.Vote) (n int, ok bool) {
	switch v {
	case bot.VoteUp:
		return 1, true
	case bot.VoteDown:
		return -1, true
	}
	return 0, false
}

// VoteOf reads a column kept by VoteValue: "" for no vote.
func VoteOf(n int) bot.Vote {
	switch n {
	case 1:
		return bot.VoteUp
	case -1:
		return bot.VoteDown
	}
	return ""
}

// VoteColumn is VoteValue for a vote already checked valid (a rating):
// 0 otherwise.
func VoteColumn(v bot.Vote) int {
	n, _ := VoteValue(v)
	return n
}
