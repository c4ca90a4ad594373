package slack

import (
	"strconv"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// message is a rendered reply: Block Kit blocks, and the plain-text
// fallback Slack shows in notifications and where blocks cannot be drawn.
type message struct {
	Text   string
	Blocks []slackapi.Block
	// inChannel: a slash command's reply everyone in the channel sees
	// (the staff's digest); otherwise only the person.
	inChannel bool
}

// renderOptions are the Slack-only parts of a message.
type renderOptions struct {
	// share, when set, adds a button that posts the answer to the channel
	// by asking the bot this action again (ephemeral answers only).
	share *bot.Action
	// sharedBy is the user id of the person who shared the answer; a line
	// on top says so.
	sharedBy string
	// cards, when set, keeps the blocks of cards for the next answers.
	cards *cardMemo
}

// Action ids: unique within their block ("Should be unique among all other
// action_ids in the containing block"), short, and free of data; the data
// is in the value.
const (
	actionShare      = "sb-share"
	actionSuggestion = "sb-sug-"  // + the suggestion's index
	actionCard       = "sb-card-" // + the card's number, "-", the button's index
	actionHelpful    = "sb-fb-up"
	actionNotHelpful = "sb-fb-down"
)

// sharePrefix marks the value of a share button: the action to ask again,
// as bot.Action.Payload encodes it.
const sharePrefix = "sbshare1:"

// render turns an answer into a message within every Block Kit limit.
// Cards that do not fit the 50-block budget are left out with a note;
// the fallback text still lists them.
func render(a bot.Answer, o renderOptions) message {
	l := a.Lang
	var shared, after []slackapi.Block
	if slackID(o.sharedBy) {
		shared = contextBlocks(wSharedBy.f(l, o.sharedBy))
	}
	lead := leadBlocks(a.Text)
	contacts := contactBlocks(l, a.Contacts)
	// The footer, 👍/👎, the suggestions and the share button are how a
	// person goes on: they are kept whole; the lead and the contact points
	// give way to them when the text of all would pass maxBlocksText (only
	// with absurd answers), and the cards to all of them.
	after = append(after, contextBlocks(escape(a.Footer))...)
	// An answer shared to the channel is rated by the one who asked it,
	// under their own copy: nobody else's vote would count.
	if o.sharedBy == "" {
		after = append(after, feedbackBlocks(l, a.Feedback)...)
	}
	after = append(after, o.cards.suggestions(a.Suggestions)...)
	if o.share != nil {
		if b := shareBlock(l, *o.share); b != nil {
			after = append(after, b)
		}
	}
	// The text of each part is counted once (blocksText adds up block by
	// block), and a block given up takes its count with it.
	kept := blocksText(shared) + blocksText(after) + omittedNoteText
	nLead, nContacts := blocksText(lead), blocksText(contacts)
	for len(contacts) > 0 && kept+nLead+nContacts > maxBlocksText {
		nContacts -= blocksText(contacts[len(contacts)-1:])
		contacts = contacts[:len(contacts)-1]
	}
	for len(lead) > 1 && kept+nLead+nContacts > maxBlocksText {
		nLead -= blocksText(lead[len(lead)-1:])
		lead = lead[:len(lead)-1]
	}
	head := append(shared, lead...)
	var tail []slackapi.Block
	// Someone in trouble reads the contact points first; otherwise they
	// follow the programmes.
	if a.Kind == bot.KindUrgent {
		head = append(head, contacts...)
	} else {
		tail = append(tail, contacts...)
	}
	tail = append(tail, after...)

	room := maxMessageBlocks - len(head) - len(tail)
	// Text left for the cards within maxBlocksText, with room for the note
	// that says cards were left out.
	textRoom := maxBlocksText - kept - nLead - nContacts
	// Only when the lead and the rest pass maxBlocksText alone do the
	// blocks need fitting afterwards: otherwise the cards kept within
	// textRoom, and the note's room, keep the whole within it.
	overflow := textRoom < 0
	// The cards' blocks, at most room and the note, made at that size
	// once instead of grown card by card (under load the growing was 2.5 %
	// of the bytes the server allocated).
	body := make([]slackapi.Block, 0, max(room, 0)+1)
	var group []slackapi.Block
	for i, c := range a.Cards {
		n := a.Offset + i + 1
		if a.Kind == bot.KindDetails {
			n = 0
		}
		group = group[:0]
		if i > 0 {
			group = append(group, slackapi.NewDividerBlock())
		}
		group, text := o.cards.appendCard(group, l, c, n)
		left := len(a.Cards) - i - 1
		reserve := 0
		if left > 0 {
			reserve = 1 // the note that says cards were left out
		}
		if len(body)+len(group)+reserve > room || text > textRoom {
			body = append(body, contextBlocks(wOmitted.f(l, len(a.Cards)-i))...)
			break
		}
		body = append(body, group...)
		textRoom -= text
	}
	blocks := make([]slackapi.Block, 0, len(head)+len(body)+len(tail))
	blocks = append(append(append(blocks, head...), body...), tail...)
	if len(blocks) > maxMessageBlocks {
		blocks = blocks[:maxMessageBlocks] // only with absurd contact lists; never exceed
	}
	if overflow {
		blocks = fitBlocksText(blocks)
	}
	return message{Text: fallback(a), Blocks: blocks}
}

// fitBlocksText keeps blocks within maxBlocksText when their lead, labels
// or contact points alone pass it (cards are budgeted as they are added):
// it drops trailing blocks, the fallback text still carrying the answer,
// then shortens what one block is left. Only absurd answers come here.
func fitBlocksText(blocks []slackapi.Block) []slackapi.Block {
	for len(blocks) > 1 && blocksText(blocks) > maxBlocksText {
		blocks = blocks[:len(blocks)-1]
	}
	if len(blocks) == 1 && blocksText(blocks) > maxBlocksText {
		// Shortened as copies: blocks may be shared (cardMemo).
		switch b := blocks[0].(type) {
		case *slackapi.SectionBlock:
			c := *b
			c.Fields = nil
			blocks[0] = &c
		case *slackapi.ContextBlock:
			c := *b
			c.ContextElements.Elements = c.ContextElements.Elements[:1]
			blocks[0] = &c
		}
	}
	return blocks
}

// omittedNoteText bounds the text of the note that says cards were left
// out (wOmitted, in either language).
const omittedNoteText = 100

// blocksText counts the text of blocks as Slack counts it against its
// limit across a message (maxBlocksText): every text object's text, in
// UTF-16 units.
func blocksText(blocks []slackapi.Block) int {
	n := 0
	add := func(t *slackapi.TextBlockObject) {
		if t != nil {
			n += units(t.Text)
		}
	}
	for _, b := range blocks {
		switch v := b.(type) {
		case *slackapi.HeaderBlock:
			add(v.Text)
		case *slackapi.SectionBlock:
			add(v.Text)
			for _, f := range v.Fields {
				add(f)
			}
		case *slackapi.ContextBlock:
			for _, e := range v.ContextElements.Elements {
				if t, ok := e.(*slackapi.TextBlockObject); ok {
					add(t)
				}
			}
		case *slackapi.ActionBlock:
			if v.Elements == nil {
				continue
			}
			for _, e := range v.Elements.ElementSet {
				if btn, ok := e.(*slackapi.ButtonBlockElement); ok {
					add(btn.Text)
				}
			}
		}
	}
	return n
}

// leadBlocks shows the answer's leading text: its first line as the header
// when it fits one, the rest as sections.
func leadBlocks(text string) []slackapi.Block {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	first, rest, _ := strings.Cut(text, "\n")
	var out []slackapi.Block
	if first = strings.TrimSpace(first); first != "" && units(first) <= maxHeaderText {
		out = append(out, slackapi.NewHeaderBlock(plain(first)))
	} else {
		rest = text
	}
	return append(out, textSections(escape(strings.TrimSpace(rest)))...)
}

// textSections splits escaped mrkdwn into sections of at most
// maxSectionText units, at line breaks where it can.
func textSections(s string) []slackapi.Block {
	var out []slackapi.Block
	for _, chunk := range chunkLines(s, maxSectionText) {
		out = append(out, slackapi.NewSectionBlock(mrkdwn(chunk), nil, nil))
	}
	return out
}

// chunkLines packs the lines of s into chunks of at most max units; a line
// longer than max is cut.
func chunkLines(s string, max int) []string {
	if fits(s, max) { // every line fits, and all of them in one chunk
		if t := strings.TrimSpace(s); t != "" {
			return []string{t}
		}
		return nil
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	for _, line := range strings.Split(s, "\n") {
		line = fitMarkup(line, max)
		if cur.Len() > 0 && units(cur.String())+1+units(line) > max {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

// appendCardBlocks appends the blocks of one programme to dst: a section
// with its title, summary and fields, the details of a KindDetails
// answer, a context line with the citation, and its buttons. n numbers
// the card as the person can refer to it ("2"); 0 leaves the number out.
// It returns the text of the blocks it added as blocksText counts it,
// counted as each text is made: cards are most of an answer's text, and
// counting them again cost as much as making them (measured under load).
func appendCardBlocks(dst []slackapi.Block, l bot.Lang, c bot.Card, n int) ([]slackapi.Block, int) {
	var t textCounter
	var b strings.Builder
	b.Grow(len(c.Title) + len(c.Summary) + len(c.NextStep) + 32) // escapes aside, the exact size
	b.WriteByte('*')
	if n > 0 {
		b.WriteString(strconv.Itoa(n))
		b.WriteString(". ")
	}
	escapeTo(&b, c.Title)
	b.WriteByte('*')
	if c.Summary != "" {
		b.WriteByte('\n')
		escapeTo(&b, c.Summary)
	}
	if c.NextStep != "" {
		b.WriteString("\n*")
		b.WriteString(bot.CaptionNextStep.In(l))
		b.WriteString("*: ")
		escapeTo(&b, c.NextStep)
	}
	head := t.mrkdwn(b.String(), maxSectionText)
	var fields []*slackapi.TextBlockObject
	sep := "、"
	if l == bot.English {
		sep = ", "
	}
	for _, f := range [...]struct {
		label bot.Caption
		vals  []string
	}{
		{bot.CaptionOrganizations, c.Organizations},
		{bot.CaptionAudiences, c.Audiences},
		{bot.CaptionRegions, c.Regions},
		{bot.CaptionKinds, c.Kinds},
		{bot.CaptionStatus, nonEmpty(c.Status)},
	} {
		if len(f.vals) == 0 || len(fields) == maxFields {
			continue
		}
		if fields == nil {
			fields = make([]*slackapi.TextBlockObject, 0, 5)
		}
		label := f.label.In(l)
		size := len(label) + 3 + len(sep)*(len(f.vals)-1)
		for _, v := range f.vals {
			size += len(v)
		}
		var b strings.Builder
		b.Grow(size)
		b.WriteByte('*')
		b.WriteString(label)
		b.WriteString("*\n")
		for i, v := range f.vals {
			if i > 0 {
				b.WriteString(sep)
			}
			escapeTo(&b, v)
		}
		fields = append(fields, t.mrkdwn(b.String(), maxFieldText))
	}
	dst = append(dst, slackapi.NewSectionBlock(head, fields, nil))

	if d := c.Detail; d != nil {
		if d.SeedText != "" {
			quoted := ">" + strings.ReplaceAll(escape(strings.TrimSpace(d.SeedText)), "\n", "\n>")
			dst = t.add(dst, textSections("*"+bot.CaptionSeedText.In(l)+"*\n"+quoted)...)
		}
		if len(d.Facts) > 0 {
			facts := []string{"*" + bot.CaptionFacts.In(l) + "*"}
			for _, f := range d.Facts {
				line := "• " + escape(f.Text)
				var src []string
				if lk := link(f.Source, hostOf(f.Source)); lk != "" {
					src = append(src, lk)
				}
				if f.Seen != "" {
					src = append(src, escape(f.Seen))
				}
				if len(src) > 0 {
					line += " (" + strings.Join(src, ", ") + ")"
				}
				facts = append(facts, line)
			}
			dst = t.add(dst, textSections(strings.Join(facts, "\n"))...)
		}
		var notes []string
		if d.Owner != "" {
			notes = append(notes, escape(d.Owner))
		}
		for _, n := range d.Notes {
			notes = append(notes, escape(n))
		}
		dst = t.add(dst, contextBlocks(notes...)...)
	}
	dst = t.add(dst, contextBlocks(escape(c.Citation))...)
	var buttons []slackapi.BlockElement
	prefix := actionCard + strconv.Itoa(n) + "-"
	for i, b := range c.Buttons {
		if len(buttons) == maxActionElements {
			break
		}
		if el := cardButton(b, prefix+strconv.Itoa(i)); el != nil {
			if buttons == nil {
				buttons = make([]slackapi.BlockElement, 0, len(c.Buttons))
			}
			buttons = append(buttons, el)
			t.n += units(el.Text.Text)
		}
	}
	if len(buttons) > 0 {
		dst = append(dst, slackapi.NewActionBlock("", buttons...))
	}
	return dst, t.n
}

// textCounter adds up the text of blocks as blocksText would.
type textCounter struct{ n int }

// mrkdwn is a mrkdwn text object of s fitted to max units, counted.
func (t *textCounter) mrkdwn(s string, max int) *slackapi.TextBlockObject {
	s, n := fitMarkupUnits(s, max)
	t.n += n
	return mrkdwn(s)
}

// add appends blocks made elsewhere to dst and counts their text.
func (t *textCounter) add(dst []slackapi.Block, blocks ...slackapi.Block) []slackapi.Block {
	t.n += blocksText(blocks)
	return append(dst, blocks...)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// cardButton renders a card's button: an action that comes back as a
// block_actions payload, or a link. A button that cannot be rendered
// within the limits (no label, a URL that is not http(s) or too long) is
// left out rather than sent broken.
func cardButton(b bot.Button, actionID string) *slackapi.ButtonBlockElement {
	label := cut(strings.TrimSpace(b.Label), maxButtonText)
	if label == "" || units(actionID) > maxActionID {
		return nil
	}
	switch {
	case b.Action != nil:
		v := b.Action.Payload()
		if units(v) > maxButtonValue {
			return nil
		}
		return slackapi.NewButtonBlockElement(actionID, v, plain(label))
	case webURL(b.URL) && units(b.URL) <= maxButtonURL:
		return slackapi.NewButtonBlockElement(actionID, "", plain(label)).WithURL(b.URL)
	}
	return nil
}

// suggestionBlocks renders quick replies as buttons, at most 25 to an
// actions block.
func suggestionBlocks(ss []bot.Suggestion) []slackapi.Block {
	var out []slackapi.Block
	var els []slackapi.BlockElement
	for i, s := range ss {
		a := s.Action
		el := cardButton(bot.Button{Label: s.Label, Action: &a}, actionSuggestion+strconv.Itoa(i))
		if el == nil {
			continue
		}
		els = append(els, el)
		if len(els) == maxActionElements {
			out = append(out, slackapi.NewActionBlock("", els...))
			els = nil
		}
	}
	if len(els) > 0 {
		out = append(out, slackapi.NewActionBlock("", els...))
	}
	return out
}

// feedbackBlocks ask whether the answer helped, with 👍 and 👎 buttons;
// nothing when the answer does not ask.
func feedbackBlocks(l bot.Lang, f *bot.Feedback) []slackapi.Block {
	if f == nil {
		return nil
	}
	upLabel, downLabel := bot.FeedbackLabels(l)
	up := cardButton(bot.Button{Label: upLabel, Action: &f.Up}, actionHelpful)
	down := cardButton(bot.Button{Label: downLabel, Action: &f.Down}, actionNotHelpful)
	if up == nil || down == nil {
		return nil
	}
	return append(contextBlocks(bot.CaptionFeedback.In(l)), slackapi.NewActionBlock("", up, down))
}

// shareBlock is the button under an ephemeral answer that posts it to the
// channel.
func shareBlock(l bot.Lang, act bot.Action) slackapi.Block {
	v := sharePrefix + act.Payload()
	if units(v) > maxButtonValue {
		return nil
	}
	b := slackapi.NewButtonBlockElement(actionShare, v, plain(cut(wShare.in(l), maxButtonText)))
	b.Style = slackapi.StylePrimary
	return slackapi.NewActionBlock("", b)
}

// contactBlocks lists contact points in as few sections as the section
// limit allows, one line each.
func contactBlocks(l bot.Lang, cs []bot.Contact) []slackapi.Block {
	if len(cs) == 0 {
		return nil
	}
	lines := []string{"*" + bot.CaptionContacts.In(l) + "*"}
	for _, c := range cs {
		line := "• *" + escape(c.Name) + "*"
		if c.What != "" {
			line += " — " + escape(c.What)
		}
		if c.Phone != "" {
			line += " ☎ " + escape(c.Phone)
		}
		if lk := link(c.URL, bot.CaptionWebsite.In(l)); lk != "" {
			line += " " + lk
		}
		lines = append(lines, line)
	}
	return textSections(strings.Join(lines, "\n"))
}

// contextBlocks is a context line of mrkdwn elements, at most ten, or
// nothing when every text is empty (a context block needs an element).
func contextBlocks(texts ...string) []slackapi.Block {
	var els []slackapi.MixedElement
	for _, t := range texts {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if len(els) == maxContextElements {
			break
		}
		els = append(els, mrkdwn(fitMarkup(t, maxContextText)))
	}
	if len(els) == 0 {
		return nil
	}
	return []slackapi.Block{slackapi.NewContextBlock("", els...)}
}

// fallback is the plain text of an answer: its lead, one line per card and
// contact, within the length Slack recommends.
func fallback(a bot.Answer) string {
	var b strings.Builder
	b.Grow(fallbackSize(a)) // one allocation, not one for every doubling
	b.WriteString(strings.TrimSpace(a.Text))
	for i, c := range a.Cards {
		b.WriteByte('\n')
		if a.Kind != bot.KindDetails {
			b.WriteString(strconv.Itoa(a.Offset + i + 1))
			b.WriteString(". ")
		}
		b.WriteString(c.Title)
		for k, o := range c.Organizations {
			if k == 0 {
				b.WriteString(" (")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(o)
		}
		if len(c.Organizations) > 0 {
			b.WriteByte(')')
		}
		if webURL(c.URL) {
			b.WriteString(" ")
			b.WriteString(c.URL)
		}
	}
	for _, c := range a.Contacts {
		b.WriteByte('\n')
		b.WriteString(c.Name)
		if c.Phone != "" {
			b.WriteString(" ")
			b.WriteString(c.Phone)
		}
	}
	return fitMarkup(escape(strings.TrimSpace(b.String())), maxFallbackText)
}

// fallbackSize is at least the length of fallback's text before it is
// escaped.
func fallbackSize(a bot.Answer) int {
	n := len(a.Text)
	for _, c := range a.Cards {
		n += len(c.Title) + len(c.URL) + 16 // "\n", the number, " (", ")", " "
		for _, o := range c.Organizations {
			n += len(o) + 2
		}
	}
	for _, c := range a.Contacts {
		n += len(c.Name) + len(c.Phone) + 2
	}
	return n
}

func mrkdwn(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, false)
}

func plain(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, true, false)
}

// hostOf is the host of a URL, as a short label for it.
func hostOf(raw string) string {
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok {
		rest, _ = strings.CutPrefix(raw, "http://")
	}
	host, _, _ := strings.Cut(rest, "/")
	return host
}
