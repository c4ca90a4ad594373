// Package insight summarises the question log for the staff: questions,
// outcomes and the no-match rate per day; the unanswered questions, with
// near-duplicates grouped so they count together; 👍/👎 per programme; and
// demand per programme, category, channel and language.
//
// It is pure: stores do the heavy counting in SQL (bot.QuestionLog.Counts)
// and Summarize groups and shapes the counts in Go. The command line
// (supportbot insights), the admin page and the weekly Slack digest all
// read one Summary:
//
//	c, err := log.Counts(ctx, insight.Window(time.Now(), 7*24*time.Hour))
//	s := insight.Summarize(c, insight.Options{Categories: …})
//
// Texts in a Summary are user text (redacted, but written by anyone):
// escape them for where they are shown.
package insight
