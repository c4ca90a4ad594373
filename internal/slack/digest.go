package slack

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
)

// Digest is the question log over a period as the staff channel shows
// it: plain data the caller makes from its insights (this adapter knows
// neither the question log nor the knowledge base). Unanswered texts are
// user text, programme names the staff's; both are escaped here.
type Digest struct {
	Since, Until time.Time
	Questions    int
	NoMatch      int
	NoMatchRate  float64
	Up, Down     int
	// Days are every day of the period, oldest first.
	Days []DigestDay
	// Unanswered are the unanswered questions, most asked first.
	Unanswered []DigestCount
	// Programmes are the programmes shown, most shown first.
	Programmes []DigestProgramme
	// Channels ("web", "line", "slack") and Languages ("ja", "en") count
	// questions, most first.
	Channels, Languages []DigestCount
}

// DigestDay is one day of a Digest.
type DigestDay struct {
	Date      time.Time // the day, in Japan
	Questions int
	NoMatch   int
}

// DigestCount is a text or an id and how often it came.
type DigestCount struct {
	Label string
	Count int
}

// DigestProgramme is one programme of a Digest: its name, how many
// answers showed it, and the votes on them.
type DigestProgramme struct {
	Name     string
	Shown    int
	Up, Down int
}

// Refusal is a knowledge version the server refused to publish, as the
// staff channel is told of it. Reason quotes the staff's files: it is
// escaped here.
type Refusal struct {
	Trigger string // watch, signal, admin
	Version string // the refused version
	Running string // the version that goes on answering
	Check   string // limits, lint, build, regression
	Reason  string
	At      time.Time
}

// Listed per section of a digest: enough to act on, short enough to read
// in a channel.
const (
	digestUnanswered = 5
	digestProgrammes = 5
	digestBarWidth   = 16
	digestTextUnits  = 80
)

// japan is the staff's clock: UTC+9 all year.
var japan = time.FixedZone("JST", 9*60*60)

var jaWeekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

var (
	wDigestTitle      = words{"📊 週間レポート", "Weekly digest"}
	wDigestQuestions  = words{"質問", "Questions"}
	wDigestNoMatch    = words{"該当なし", "No match"}
	wDigestHelpful    = words{"👍 役に立った", "Helpful"}
	wDigestNotHelpful = words{"👎 役に立たなかった", "Not helpful"}
	wDigestPerDay     = words{"日ごとの質問（▇ 質問数、右は該当なし）", "Questions per day (▇ questions, no match on the right)"}
	wDigestUnanswered = words{"答えられなかった質問（多い順）", "Unanswered, most asked first"}
	wDigestDisliked   = words{"👎 のついた制度", "Programmes voted not helpful"}
	wDigestShown      = words{"よく表示された制度", "Programmes shown most"}
	wDigestChannels   = words{"チャネル", "Channels"}
	wDigestLanguages  = words{"言語", "Languages"}
	wDigestNone       = words{"この期間の質問はありません。", "No questions in this period."}
	wDigestMore       = words{"詳しくは管理画面（/admin）か `supportbot insights` で。", "More on the admin page (/admin) or with `supportbot insights`."}

	wRefusedTitle   = words{"⚠️ ナレッジの更新を見送りました", "Knowledge update refused"}
	wRefusedCheck   = words{"チェック", "Check"}
	wRefusedVersion = words{"見送った版", "Refused version"}
	wRefusedRunning = words{"稼働中の版（回答を続けています）", "Running version (answers go on from it)"}
	wRefusedFix     = words{"ファイルを直して保存すると、もう一度チェックします。", "Fix the files and save: the server checks them again."}

	wStaffOnly    = words{"レポートはスタッフ用チャンネルでのみ表示できます。", "The digest is shown only in the staff channel."}
	wDigestFailed = words{"レポートを作成できませんでした。少し待ってからもう一度お試しください。", "The digest could not be made. Please try again in a moment."}
)

// both is a label in Japanese, then English: the staff channel is read by
// people of either language.
func both(w words) string { return w.ja + " / " + w.en }

// renderDigest draws a digest as Block Kit within Slack's limits. Numbers
// and dates only go in the code block of the per-day chart; user text
// never does, so it cannot end the block.
func renderDigest(d Digest) message {
	period := fmt.Sprintf("%s – %s JST", jstTime(d.Since), jstTime(d.Until))
	blocks := []slackapi.Block{slackapi.NewHeaderBlock(plain(cut(both(wDigestTitle), maxHeaderText)))}
	blocks = append(blocks, contextBlocks(period)...)
	if d.Questions == 0 {
		blocks = append(blocks, textSections(both(wDigestNone))...)
		blocks = append(blocks, contextBlocks(both(wDigestMore))...)
		return message{Text: both(wDigestTitle) + " " + period + ": " + both(wDigestNone), Blocks: blocks}
	}
	fields := []*slackapi.TextBlockObject{
		mrkdwn(fmt.Sprintf("*%s*\n%s", both(wDigestQuestions), strconv.Itoa(d.Questions))),
		mrkdwn(fmt.Sprintf("*%s*\n%s (%d)", both(wDigestNoMatch), percent(d.NoMatchRate), d.NoMatch)),
		mrkdwn(fmt.Sprintf("*%s*\n%d", both(wDigestHelpful), d.Up)),
		mrkdwn(fmt.Sprintf("*%s*\n%d", both(wDigestNotHelpful), d.Down)),
	}
	blocks = append(blocks, slackapi.NewSectionBlock(nil, fields, nil))
	if len(d.Days) > 0 {
		blocks = append(blocks, textSections("*"+both(wDigestPerDay)+"*\n```\n"+dayBars(d.Days)+"\n```")...)
	}
	if len(d.Unanswered) > 0 {
		lines := []string{"*" + both(wDigestUnanswered) + "*"}
		for i, u := range d.Unanswered[:min(len(d.Unanswered), digestUnanswered)] {
			lines = append(lines, fmt.Sprintf("%d. %s ×%d", i+1, userText(u.Label), u.Count))
		}
		if n := len(d.Unanswered) - digestUnanswered; n > 0 {
			lines = append(lines, fmt.Sprintf("… +%d", n))
		}
		blocks = append(blocks, textSections(strings.Join(lines, "\n"))...)
	}
	disliked := slices.Clone(d.Programmes)
	slices.SortStableFunc(disliked, func(a, b DigestProgramme) int { return cmp.Compare(b.Down, a.Down) })
	if len(disliked) > 0 && disliked[0].Down > 0 {
		lines := []string{"*" + both(wDigestDisliked) + "*"}
		for _, p := range disliked[:min(len(disliked), digestProgrammes)] {
			if p.Down == 0 {
				break
			}
			lines = append(lines, fmt.Sprintf("• %s — 👎 %d, 👍 %d", userText(p.Name), p.Down, p.Up))
		}
		blocks = append(blocks, textSections(strings.Join(lines, "\n"))...)
	}
	if len(d.Programmes) > 0 {
		lines := []string{"*" + both(wDigestShown) + "*"}
		for _, p := range d.Programmes[:min(len(d.Programmes), digestProgrammes)] {
			lines = append(lines, fmt.Sprintf("• %s — %d", userText(p.Name), p.Shown))
		}
		blocks = append(blocks, textSections(strings.Join(lines, "\n"))...)
	}
	blocks = append(blocks, contextBlocks(
		"*"+both(wDigestChannels)+"*: "+shares(d.Channels, d.Questions, channelLabels),
		"*"+both(wDigestLanguages)+"*: "+shares(d.Languages, d.Questions, languageLabels),
	)...)
	blocks = append(blocks, contextBlocks(both(wDigestMore))...)
	text := fmt.Sprintf("%s %s: %s %d, %s %s, 👍 %d / 👎 %d", both(wDigestTitle), period,
		wDigestQuestions.ja, d.Questions, wDigestNoMatch.ja, percent(d.NoMatchRate), d.Up, d.Down)
	return message{Text: fitMarkup(escape(text), maxFallbackText), Blocks: blocks}
}

// dayBars draws questions per day as a bar of block characters each, the
// longest digestBarWidth wide: a chart that needs no image and reads in
// every Slack client. Dates and numbers only.
func dayBars(days []DigestDay) string {
	most := 0
	for _, d := range days {
		most = max(most, d.Questions)
	}
	lines := make([]string, 0, len(days))
	for _, d := range days {
		n := 0
		if most > 0 {
			n = (d.Questions*digestBarWidth + most - 1) / most // any question shows
		}
		bar := strings.Repeat("▇", n) + strings.Repeat(" ", digestBarWidth-n)
		line := fmt.Sprintf("%s %s %s %4d", d.Date.In(japan).Format("01/02"), jaWeekdays[d.Date.In(japan).Weekday()], bar, d.Questions)
		if d.NoMatch > 0 {
			line += fmt.Sprintf("  %d", d.NoMatch)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

var (
	channelLabels  = map[string]string{"web": "Web", "line": "LINE", "slack": "Slack"}
	languageLabels = map[string]string{"ja": "日本語", "en": "English"}
)

// shares lists counts as shares of total: "Web 60% · LINE 40%".
func shares(cs []DigestCount, total int, labels map[string]string) string {
	if len(cs) == 0 || total == 0 {
		return "—"
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		label, ok := labels[c.Label]
		if !ok {
			label = escape(cut(c.Label, 20))
		}
		parts = append(parts, label+" "+percent(float64(c.Count)/float64(total)))
	}
	return strings.Join(parts, " · ")
}

// userText is a text of the question log, or a name, on one line of
// mrkdwn: cut, then escaped, so no mention, link or @channel forms, and
// without backticks, which would open code spans and blocks.
func userText(s string) string {
	return escape(noTicks.Replace(cut(strings.Join(strings.Fields(s), " "), digestTextUnits)))
}

// noTicks turns backticks into their full-width look-alike.
var noTicks = strings.NewReplacer("`", "｀")

func percent(f float64) string {
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

// jstTime writes a time in Japan: "2026-11-30 (月) 09:00".
func jstTime(t time.Time) string {
	t = t.In(japan)
	return t.Format("2006-01-02") + " (" + jaWeekdays[t.Weekday()] + ") " + t.Format("15:04")
}

// renderRefusal draws a refused knowledge version for the staff channel.
func renderRefusal(r Refusal) message {
	lines := []string{
		fmt.Sprintf("*%s*: `%s`", both(wRefusedCheck), userText(r.Check)),
		fmt.Sprintf("*%s*: `%s` (%s)", both(wRefusedVersion), userText(r.Version), userText(r.Trigger)),
		fmt.Sprintf("*%s*: `%s`", both(wRefusedRunning), userText(r.Running)),
	}
	blocks := []slackapi.Block{slackapi.NewHeaderBlock(plain(cut(both(wRefusedTitle), maxHeaderText)))}
	blocks = append(blocks, textSections(strings.Join(lines, "\n"))...)
	if reason := strings.TrimSpace(r.Reason); reason != "" {
		quoted := ">" + strings.ReplaceAll(escape(noTicks.Replace(reason)), "\n", "\n>")
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(fitMarkup(quoted, maxSectionText)), nil, nil))
	}
	blocks = append(blocks, contextBlocks(jstTime(r.At)+" JST", both(wRefusedFix))...)
	text := fmt.Sprintf("%s (%s): %s", both(wRefusedTitle), r.Check, strings.TrimSpace(r.Reason))
	return message{Text: fitMarkup(escape(text), maxFallbackText), Blocks: blocks}
}
