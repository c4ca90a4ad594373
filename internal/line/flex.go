package line

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"

	"github.com/supportbot/supportbot/internal/bot"
)

// label is a piece of LINE's layout in both languages; the captions of
// the card's fields are the core's (bot.Caption), the same in every
// channel.
type label struct{ ja, en string }

func (w label) in(l bot.Lang) string {
	if l == bot.English {
		return w.en
	}
	return w.ja
}

var (
	lblNumber  = label{"No.", "No. "} // and the card's number
	lblColon   = label{"：", ": "}
	lblListSep = label{"、", ", "}
)

// sourceLine is "出典: URL（2026-11時点）", "Source: URL (as of 2026-11)".
func sourceLine(l bot.Lang, source, seen string) string {
	line := bot.CaptionSource.In(l) + ": " + source
	switch {
	case seen == "":
	case l == bot.English:
		line += " (" + bot.AsOf(l, seen) + ")"
	default:
		line += "（" + bot.AsOf(l, seen) + "）"
	}
	return line
}

// Colours of the cards: quiet greys around the programme's own words.
const (
	colorMuted  = "#666666"
	colorFaint  = "#999999"
	colorAccent = "#06C755" // LINE green, for the main button
)

// render turns an answer into the messages of one reply: the text with
// any contact points, then the programmes as a Flex Message, then the
// closing footer. Quick replies ride on the last message, the only one
// whose quick replies LINE shows. With a quote token (a group) the text
// quotes the message it answers.
func render(a bot.Answer, quote string) []messaging_api.MessageInterface {
	return renderCards(a, quote, nil)
}

// renderCards is render with the programme cards of a carousel taken from
// memo (nil: made anew).
func renderCards(a bot.Answer, quote string, memo *cardMemo) []messaging_api.MessageInterface {
	var msgs []messaging_api.MessageInterface
	if t := answerText(a); t != "" {
		m := newTextMessage(cut(t, maxText))
		m.QuoteToken = quote
		msgs = append(msgs, m)
	}
	if f := renderFlex(a, memo); f != nil {
		msgs = append(msgs, f)
	}
	if a.Footer != "" {
		msgs = append(msgs, newTextMessage(cut(a.Footer, maxText)))
	}
	if len(msgs) > maxMessagesPerReply {
		msgs = msgs[:maxMessagesPerReply]
	}
	if qr := renderQuickReply(append(feedbackReplies(a), a.Suggestions...)); qr != nil && len(msgs) > 0 {
		switch m := msgs[len(msgs)-1].(type) {
		case *textMessage:
			m.QuickReply = qr
		case *flexMessage:
			m.QuickReply = qr
		}
	}
	return msgs
}

// renderPlain is the answer as text only, for when LINE refuses the rich
// reply (a 400 on the Flex Message or the quick replies): the lead and
// contact points, each programme as its number, name, organisers,
// summary and official page, and the footer, in at most two text
// messages and without quick replies.
func renderPlain(a bot.Answer, quote string) []messaging_api.MessageInterface {
	var b strings.Builder
	b.WriteString(answerText(a))
	for i, c := range a.Cards {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if a.Kind != bot.KindDetails {
			fmt.Fprintf(&b, "%d. ", a.Offset+i+1)
		}
		b.WriteString(c.Title)
		if len(c.Organizations) > 0 {
			b.WriteString("\n" + strings.Join(c.Organizations, lblListSep.in(a.Lang)))
		}
		if s := strings.TrimSpace(c.Summary); s != "" {
			b.WriteString("\n" + s)
		}
		if linkable(c.URL) {
			b.WriteString("\n" + c.URL)
		}
	}
	var msgs []messaging_api.MessageInterface
	if t := strings.TrimSpace(b.String()); t != "" {
		m := newTextMessage(cut(t, maxText))
		m.QuoteToken = quote
		msgs = append(msgs, m)
	}
	if a.Footer != "" {
		msgs = append(msgs, newTextMessage(cut(a.Footer, maxText)))
	}
	return msgs
}

// answerText is the lead text and the contact points, one block each.
func answerText(a bot.Answer) string {
	lead := strings.TrimSpace(a.Text)
	if len(a.Contacts) == 0 {
		return lead // most answers: the lead as it is, not copied
	}
	var b strings.Builder
	n := len(lead) + 64
	for _, c := range a.Contacts {
		n += len(c.Name) + len(c.What) + len(c.Phone) + len(c.URL) + 32
	}
	b.Grow(n)
	b.WriteString(lead)
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString("【")
	b.WriteString(bot.CaptionContacts.In(a.Lang))
	b.WriteString("】")
	for _, c := range a.Contacts {
		b.WriteString("\n・")
		b.WriteString(c.Name)
		if c.What != "" {
			b.WriteString(lblColon.in(a.Lang))
			b.WriteString(c.What)
		}
		if c.Phone != "" {
			b.WriteString("\n　")
			b.WriteString(bot.CaptionPhone.In(a.Lang))
			b.WriteByte(' ')
			b.WriteString(c.Phone)
		}
		if c.URL != "" {
			b.WriteString("\n　")
			b.WriteString(c.URL)
		}
	}
	return b.String()
}

// renderFlex renders the cards: one bubble for the details of one
// programme, else a carousel with a bubble per card. Bubbles that cannot
// be made to fit LINE's size limits are left out; nil when none is left.
// The cards of a carousel come from memo (nil: made anew).
func renderFlex(a bot.Answer, memo *cardMemo) *flexMessage {
	if len(a.Cards) == 0 {
		return nil
	}
	if a.Kind == bot.KindDetails {
		b := detailBubble(a.Cards[0], a.Lang)
		if _, ok := fitBubble(b, maxBubbleBytes); !ok {
			return nil
		}
		return newFlexMessage(altText(a), b)
	}
	// Each bubble gets an equal share of the carousel's size, so that a
	// long card is shortened rather than the cards after it dropped.
	cards := a.Cards[:min(len(a.Cards), maxBubbles)]
	budget := min(maxBubbleBytes, (maxCarouselBytes-carouselOverhead)/len(cards))
	car := &flexCarousel{Type: "carousel"}
	// The carousel's size is added up from its bubbles' (plus a comma
	// each) rather than measured again after every bubble: encoding is the
	// costliest step of a LINE reply, and re-encoding the growing carousel
	// made it quadratic in the number of cards.
	total := carouselOverhead
	for i, c := range cards {
		b, n, ok := memo.fitCard(c, a.Offset+i+1, a.Lang, budget) // numbered across pages, as the bot reads numbers
		if !ok {
			continue
		}
		if total+n+1 > maxCarouselBytes {
			break
		}
		car.Contents = append(car.Contents, b)
		total += n + 1
	}
	if len(car.Contents) == 0 {
		return nil
	}
	return newFlexMessage(altText(a), car)
}

// altText stands in for the cards in notifications and the chat list:
// the lead sentence and the programme names.
func altText(a bot.Answer) string {
	lead, _, _ := strings.Cut(strings.TrimSpace(a.Text), "\n")
	lines := []string{lead}
	if a.Kind == bot.KindDetails {
		lines = append(lines, a.Cards[0].Title, a.Cards[0].Summary)
	} else {
		for i, c := range a.Cards {
			lines = append(lines, strconv.Itoa(i+1)+". "+c.Title)
		}
	}
	alt := strings.TrimSpace(strings.Join(lines, "\n"))
	if alt == "" {
		alt = a.Cards[0].Title
	}
	return cut(alt, maxAltText)
}

// cardBubble is one programme of a list: name, organisers, audience,
// summary, citation, and the card's buttons.
func cardBubble(c bot.Card, n int, l bot.Lang) *flexBubble {
	body := []component{
		newText(flexText{Text: lblNumber.in(l) + strconv.Itoa(n), Size: "xs", Color: colorFaint}),
	}
	body = append(body, heading(c, l)...)
	body = append(body,
		newSeparator("md"),
		text(c.Summary, "sm", "", "md"),
		text(c.Citation, "xxs", colorFaint, "md"),
	)
	return bubble(body, buttons(c, l))
}

// detailBubble is one programme in full: the card, what to do next, the
// status, the action plan's own words with its notes, and verified facts
// each with its source.
func detailBubble(c bot.Card, l bot.Lang) *flexBubble {
	body := heading(c, l)
	if len(c.Kinds) > 0 {
		body = append(body, row(bot.CaptionKinds.In(l), strings.Join(c.Kinds, lblListSep.in(l))))
	}
	body = append(body, newSeparator("md"), text(c.Summary, "sm", "", "md"))
	section := func(title string, parts ...component) {
		var kept []component
		for _, p := range parts {
			if p != nil {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			return
		}
		body = append(body, newText(flexText{Text: title, Size: "sm", Weight: weightBold, Margin: "lg", Wrap: true}))
		body = append(body, kept...)
	}
	section(bot.CaptionNextStep.In(l), text(c.NextStep, "sm", "", ""))
	section(bot.CaptionStatus.In(l), text(c.Status, "sm", "", ""))
	if d := c.Detail; d != nil {
		section(bot.CaptionSeedText.In(l), text(d.SeedText, "sm", colorMuted, ""))
		var notes []component
		for _, n := range d.Notes {
			notes = append(notes, text("・"+n, "xs", colorMuted, ""))
		}
		section(bot.CaptionNotes.In(l), notes...)
		var facts []component
		for _, f := range d.Facts {
			facts = append(facts, text("・"+f.Text, "sm", "", "sm"))
			if f.Source != "" {
				src := text(sourceLine(l, f.Source, f.Seen), "xxs", colorFaint, "")
				if t, ok := src.(*flexText); ok && linkable(f.Source) {
					t.Action = newURIAction("", f.Source)
				}
				facts = append(facts, src)
			}
		}
		section(bot.CaptionFacts.In(l), facts...)
		section(bot.CaptionOwner.In(l), text(d.Owner, "sm", "", ""))
	}
	body = append(body, text(c.Citation, "xxs", colorFaint, "lg"))
	return bubble(body, buttons(c, l))
}

// heading is the top of every card: name, organisers, audience, region.
func heading(c bot.Card, l bot.Lang) []component {
	title := c.Title
	if title == "" {
		title = c.ID
	}
	out := []component{
		newText(flexText{Text: title, Size: "lg", Weight: weightBold, Wrap: true}),
	}
	if p := text(strings.Join(c.Organizations, lblListSep.in(l)), "sm", colorMuted, "sm"); p != nil {
		out = append(out, p)
	}
	if len(c.Audiences) > 0 {
		out = append(out, row(bot.CaptionAudiences.In(l), strings.Join(c.Audiences, lblListSep.in(l))))
	}
	if len(c.Regions) > 0 {
		out = append(out, row(bot.CaptionRegions.In(l), strings.Join(c.Regions, lblListSep.in(l))))
	}
	return out
}

// text is a wrapped text component, or nil for empty text (LINE refuses
// an empty text component).
func text(s, size, color, margin string) component {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return newText(flexText{Text: s, Size: size, Color: color, Margin: margin, Wrap: true})
}

// row is a caption and its value on one baseline.
func row(caption, value string) component {
	b := newBox(layoutBaseline, []component{
		newText(flexText{Text: caption, Size: "xs", Color: colorFaint, Flex: 2}),
		newText(flexText{Text: value, Size: "xs", Wrap: true, Flex: 6}),
	})
	b.Spacing, b.Margin = "sm", "sm"
	return b
}

// buttons renders a card's buttons: an Action becomes a postback carrying
// its payload, a URL a link (only http and https within LINE's length).
// A payload over LINE's limit is dropped, never cut: a cut payload would
// name another action.
func buttons(c bot.Card, l bot.Lang) []component {
	var out []component
	for _, b := range c.Buttons {
		lbl := cut(b.Label, maxButtonLabel)
		if lbl == "" {
			continue
		}
		switch {
		case b.Action != nil:
			data := b.Action.Payload()
			if units(data) > maxPostbackData {
				continue
			}
			display := cut(b.Label+lblColon.in(l)+c.Title, maxDisplayText)
			out = append(out, newButton(flexButton{
				Style: stylePrimary, Color: colorAccent, Height: heightSmall,
				Action: newPostbackAction(lbl, data, display),
			}))
		case linkable(b.URL):
			out = append(out, newButton(flexButton{
				Style: styleLink, Height: heightSmall,
				Action: newURIAction(lbl, b.URL),
			}))
		}
	}
	return out
}

// linkable reports whether LINE can open u from a URI action.
func linkable(u string) bool {
	if u == "" || len(u) > maxURI {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}

func bubble(body, footer []component) *flexBubble {
	var kept []component
	for _, c := range body {
		if c != nil {
			kept = append(kept, c)
		}
	}
	b := &flexBubble{Body: newBox(layoutVertical, kept), Type: "bubble"}
	b.Body.Spacing = "sm"
	if len(footer) > 0 {
		b.Footer = newBox(layoutVertical, footer)
		b.Footer.Spacing = "sm"
	}
	return b
}

// carouselOverhead is the JSON of a carousel around its bubbles, with room
// to spare: {"type":"carousel","contents":[…]} and the commas.
const carouselOverhead = 100

// fitBubble makes a bubble's JSON fit within budget bytes by shortening
// its longest texts; it returns the size it came to, and false when it
// cannot fit.
func fitBubble(b *flexBubble, budget int) (int, bool) {
	for limit := 2000; ; limit /= 2 {
		n := size(b)
		if n <= budget {
			return n, true
		}
		if limit < 50 {
			return n, false
		}
		shorten(b.Body, limit)
	}
}

// shorten cuts every text in a box to at most n code units.
func shorten(box *flexBox, n int) {
	if box == nil {
		return
	}
	for _, c := range box.Contents {
		switch v := c.(type) {
		case *flexText:
			v.Text = cut(v.Text, n)
		case *flexBox:
			shorten(v, n)
		}
	}
}

// size is the length of a bubble's JSON as it is sent. It appends it to a
// buffer kept for the purpose rather than keeping the bytes: every bubble
// is measured, and a reply's garbage is what the collector works through
// under load.
func size(b *flexBubble) int {
	p := scratch.Get().(*[]byte)
	buf := appendBubble((*p)[:0], b)
	n := len(buf)
	*p = buf[:0]
	scratch.Put(p)
	return n
}

// scratch holds the buffers size measures bubbles in.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// feedbackReplies are the 👍 and 👎 of an answer that asks for them, as
// the first quick replies: they go with the answer they rate, and a tap
// shows "👍 役に立った" in the chat as what the person said.
func feedbackReplies(a bot.Answer) []bot.Suggestion {
	if a.Feedback == nil {
		return nil
	}
	up, down := bot.FeedbackLabels(a.Lang)
	return []bot.Suggestion{
		{Label: up, Action: a.Feedback.Up},
		{Label: down, Action: a.Feedback.Down},
	}
}

// renderQuickReply turns suggestions into quick-reply postback buttons: at most
// LINE's 13, each with its short label (the knowledge base keeps those
// within LINE's 20 characters; anything longer is cut), the full label
// shown in the chat as what the person chose.
//
// The items and their actions are made in one slice each, sized for the
// suggestions: an answer has about ten, and growing the items and
// allocating each action was a third of the allocations of rendering a
// reply (BenchmarkRenderReply).
func renderQuickReply(ss []bot.Suggestion) *quickReply {
	n := min(len(ss), maxQuickReplies)
	if n == 0 {
		return nil
	}
	items := make([]quickReplyItem, 0, n)
	actions := make([]postbackAction, 0, n)
	for _, s := range ss {
		if len(items) == maxQuickReplies {
			break
		}
		data := s.Action.Payload()
		lbl := cut(strings.TrimSpace(s.ShortLabel()), maxQuickReplyLabel)
		if lbl == "" || units(data) > maxPostbackData {
			continue
		}
		actions = append(actions, postbackAction{Label: lbl, Data: data, DisplayText: cut(s.Label, maxDisplayText), Type: "postback"})
		items = append(items, quickReplyItem{Type: "action", Action: &actions[len(actions)-1]})
	}
	if len(items) == 0 {
		return nil
	}
	return &quickReply{Items: items}
}
