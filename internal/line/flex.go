package line

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"

	"github.com/supportbot/supportbot/internal/bot"
)

// label is a word of the layout in both languages. The bot's sentences
// come from the core; these are only the captions of the card fields.
type label struct{ ja, en string }

func (w label) in(l bot.Lang) string {
	if l == bot.English {
		return w.en
	}
	return w.ja
}

var (
	lblFor        = label{"対象", "For"}
	lblKinds      = label{"種類", "Type"}
	lblRegion     = label{"地域", "Region"}
	lblNext       = label{"次にできること", "What you can do next"}
	lblStatus     = label{"現在の状況", "Status"}
	lblSeed       = label{"行動計画の記載", "In the action plan (Japanese)"}
	lblNotes      = label{"注記", "Notes"}
	lblFacts      = label{"確認済みの情報", "Verified information"}
	lblSource     = label{"出典: %s", "Source: %s"}
	lblSourceSeen = label{"出典: %s（%s時点）", "Source: %s (as of %s)"}
	lblOwner      = label{"区分", "Owner"}
	lblNumber     = label{"No.%d", "No. %d"}
	lblContacts   = label{"相談窓口", "Contact points"}
	lblTel        = label{"電話", "Tel"}
	lblColon      = label{"：", ": "}
	lblListSep    = label{"、", ", "}
)

// Colours of the cards: quiet greys around the programme's own words.
const (
	colorMuted  = "#666666"
	colorFaint  = "#999999"
	colorAccent = "#06C755" // LINE green, for the main button
)

// render turns an answer into the messages of one reply: the text with
// any contact points, then the programmes as a Flex Message, then the
// closing footer. Quick replies ride on the last message, the only one
// whose quick replies LINE shows.
func render(a bot.Answer) []messaging_api.MessageInterface {
	var msgs []messaging_api.MessageInterface
	if t := answerText(a); t != "" {
		msgs = append(msgs, &messaging_api.TextMessage{Text: cut(t, maxText)})
	}
	if f := flexMessage(a); f != nil {
		msgs = append(msgs, f)
	}
	if a.Footer != "" {
		msgs = append(msgs, &messaging_api.TextMessage{Text: cut(a.Footer, maxText)})
	}
	if len(msgs) > maxMessagesPerReply {
		msgs = msgs[:maxMessagesPerReply]
	}
	if qr := quickReply(a.Suggestions); qr != nil && len(msgs) > 0 {
		switch m := msgs[len(msgs)-1].(type) {
		case *messaging_api.TextMessage:
			m.QuickReply = qr
		case *messaging_api.FlexMessage:
			m.QuickReply = qr
		}
	}
	return msgs
}

// answerText is the lead text and the contact points, one block each.
func answerText(a bot.Answer) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(a.Text))
	if len(a.Contacts) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("【" + lblContacts.in(a.Lang) + "】")
		for _, c := range a.Contacts {
			b.WriteString("\n・" + c.Name)
			if c.What != "" {
				b.WriteString(lblColon.in(a.Lang) + c.What)
			}
			if c.Phone != "" {
				b.WriteString("\n　" + lblTel.in(a.Lang) + " " + c.Phone)
			}
			if c.URL != "" {
				b.WriteString("\n　" + c.URL)
			}
		}
	}
	return b.String()
}

// flexMessage renders the cards: one bubble for the details of one
// programme, else a carousel with a bubble per card. Bubbles that cannot
// be made to fit LINE's size limits are left out; nil when none is left.
func flexMessage(a bot.Answer) *messaging_api.FlexMessage {
	if len(a.Cards) == 0 {
		return nil
	}
	if a.Kind == bot.KindDetails {
		b := detailBubble(a.Cards[0], a.Lang)
		if !fitBubble(&b, maxBubbleBytes) {
			return nil
		}
		return &messaging_api.FlexMessage{AltText: altText(a), Contents: &b}
	}
	// Each bubble gets an equal share of the carousel's size, so that a
	// long card is shortened rather than the cards after it dropped.
	cards := a.Cards[:min(len(a.Cards), maxBubbles)]
	budget := min(maxBubbleBytes, (maxCarouselBytes-carouselOverhead)/len(cards))
	car := &messaging_api.FlexCarousel{}
	for i, c := range cards {
		b := cardBubble(c, i+1, a.Lang)
		if !fitBubble(&b, budget) {
			continue
		}
		car.Contents = append(car.Contents, b)
		if size(car) > maxCarouselBytes {
			car.Contents = car.Contents[:len(car.Contents)-1]
			break
		}
	}
	if len(car.Contents) == 0 {
		return nil
	}
	return &messaging_api.FlexMessage{AltText: altText(a), Contents: car}
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
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, c.Title))
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
func cardBubble(c bot.Card, n int, l bot.Lang) messaging_api.FlexBubble {
	body := []messaging_api.FlexComponentInterface{
		&messaging_api.FlexText{Text: fmt.Sprintf(lblNumber.in(l), n), Size: "xs", Color: colorFaint},
	}
	body = append(body, heading(c, l)...)
	body = append(body,
		&messaging_api.FlexSeparator{Margin: "md"},
		text(c.Summary, "sm", "", "md"),
		text(c.Citation, "xxs", colorFaint, "md"),
	)
	return bubble(body, buttons(c, l))
}

// detailBubble is one programme in full: the card, what to do next, the
// status, the action plan's own words with its notes, and verified facts
// each with its source.
func detailBubble(c bot.Card, l bot.Lang) messaging_api.FlexBubble {
	body := heading(c, l)
	if len(c.Kinds) > 0 {
		body = append(body, row(lblKinds.in(l), strings.Join(c.Kinds, lblListSep.in(l))))
	}
	body = append(body, &messaging_api.FlexSeparator{Margin: "md"}, text(c.Summary, "sm", "", "md"))
	section := func(title string, parts ...messaging_api.FlexComponentInterface) {
		var kept []messaging_api.FlexComponentInterface
		for _, p := range parts {
			if p != nil {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			return
		}
		body = append(body, &messaging_api.FlexText{Text: title, Size: "sm", Weight: messaging_api.FlexTextWEIGHT_BOLD, Margin: "lg", Wrap: true})
		body = append(body, kept...)
	}
	section(lblNext.in(l), text(c.NextStep, "sm", "", ""))
	section(lblStatus.in(l), text(c.Status, "sm", "", ""))
	if d := c.Detail; d != nil {
		section(lblSeed.in(l), text(d.SeedText, "sm", colorMuted, ""))
		var notes []messaging_api.FlexComponentInterface
		for _, n := range d.Notes {
			notes = append(notes, text("・"+n, "xs", colorMuted, ""))
		}
		section(lblNotes.in(l), notes...)
		var facts []messaging_api.FlexComponentInterface
		for _, f := range d.Facts {
			facts = append(facts, text("・"+f.Text, "sm", "", "sm"))
			if f.Source != "" {
				line := fmt.Sprintf(lblSource.in(l), f.Source)
				if f.Seen != "" {
					line = fmt.Sprintf(lblSourceSeen.in(l), f.Source, f.Seen)
				}
				src := text(line, "xxs", colorFaint, "")
				if t, ok := src.(*messaging_api.FlexText); ok && linkable(f.Source) {
					t.Action = &messaging_api.UriAction{Uri: f.Source}
				}
				facts = append(facts, src)
			}
		}
		section(lblFacts.in(l), facts...)
		section(lblOwner.in(l), text(d.Owner, "sm", "", ""))
	}
	body = append(body, text(c.Citation, "xxs", colorFaint, "lg"))
	return bubble(body, buttons(c, l))
}

// heading is the top of every card: name, organisers, audience, region.
func heading(c bot.Card, l bot.Lang) []messaging_api.FlexComponentInterface {
	title := c.Title
	if title == "" {
		title = c.ID
	}
	out := []messaging_api.FlexComponentInterface{
		&messaging_api.FlexText{Text: title, Size: "lg", Weight: messaging_api.FlexTextWEIGHT_BOLD, Wrap: true},
	}
	if p := text(strings.Join(c.Organizations, lblListSep.in(l)), "sm", colorMuted, "sm"); p != nil {
		out = append(out, p)
	}
	if len(c.Audiences) > 0 {
		out = append(out, row(lblFor.in(l), strings.Join(c.Audiences, lblListSep.in(l))))
	}
	if len(c.Regions) > 0 {
		out = append(out, row(lblRegion.in(l), strings.Join(c.Regions, lblListSep.in(l))))
	}
	return out
}

// text is a wrapped text component, or nil for empty text (LINE refuses
// an empty text component).
func text(s, size, color, margin string) messaging_api.FlexComponentInterface {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &messaging_api.FlexText{Text: s, Size: size, Color: color, Margin: margin, Wrap: true}
}

// row is a caption and its value on one baseline.
func row(caption, value string) messaging_api.FlexComponentInterface {
	return &messaging_api.FlexBox{
		Layout: messaging_api.FlexBoxLAYOUT_BASELINE, Spacing: "sm", Margin: "sm",
		Contents: []messaging_api.FlexComponentInterface{
			&messaging_api.FlexText{Text: caption, Size: "xs", Color: colorFaint, Flex: 2},
			&messaging_api.FlexText{Text: value, Size: "xs", Wrap: true, Flex: 6},
		},
	}
}

// buttons renders a card's buttons: an Action becomes a postback carrying
// its payload, a URL a link (only http and https within LINE's length).
// A payload over LINE's limit is dropped, never cut: a cut payload would
// name another action.
func buttons(c bot.Card, l bot.Lang) []messaging_api.FlexComponentInterface {
	var out []messaging_api.FlexComponentInterface
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
			out = append(out, &messaging_api.FlexButton{
				Style: messaging_api.FlexButtonSTYLE_PRIMARY, Color: colorAccent, Height: messaging_api.FlexButtonHEIGHT_SM,
				Action: &messaging_api.PostbackAction{Label: lbl, Data: data, DisplayText: display},
			})
		case linkable(b.URL):
			out = append(out, &messaging_api.FlexButton{
				Style: messaging_api.FlexButtonSTYLE_LINK, Height: messaging_api.FlexButtonHEIGHT_SM,
				Action: &messaging_api.UriAction{Label: lbl, Uri: b.URL},
			})
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

func bubble(body, footer []messaging_api.FlexComponentInterface) messaging_api.FlexBubble {
	var kept []messaging_api.FlexComponentInterface
	for _, c := range body {
		if c != nil {
			kept = append(kept, c)
		}
	}
	b := messaging_api.FlexBubble{
		Body: &messaging_api.FlexBox{Layout: messaging_api.FlexBoxLAYOUT_VERTICAL, Spacing: "sm", Contents: kept},
	}
	if len(footer) > 0 {
		b.Footer = &messaging_api.FlexBox{Layout: messaging_api.FlexBoxLAYOUT_VERTICAL, Spacing: "sm", Contents: footer}
	}
	return b
}

// carouselOverhead is the JSON of a carousel around its bubbles, with room
// to spare: {"type":"carousel","contents":[…]} and the commas.
const carouselOverhead = 100

// fitBubble makes a bubble's JSON fit within budget bytes by shortening
// its longest texts, and reports false when it cannot.
func fitBubble(b *messaging_api.FlexBubble, budget int) bool {
	for limit := 2000; ; limit /= 2 {
		if size(b) <= budget {
			return true
		}
		if limit < 50 {
			return false
		}
		shorten(b.Body, limit)
	}
}

// shorten cuts every text in a box to at most n code units.
func shorten(box *messaging_api.FlexBox, n int) {
	if box == nil {
		return
	}
	for _, c := range box.Contents {
		switch v := c.(type) {
		case *messaging_api.FlexText:
			v.Text = cut(v.Text, n)
		case *messaging_api.FlexBox:
			shorten(v, n)
		}
	}
}

// size is the length of v's JSON as the SDK sends it.
func size(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return maxCarouselBytes + 1 // cannot be sent: treat as too big
	}
	return len(b)
}

// quickReply turns suggestions into quick-reply postback buttons: at most
// LINE's 13, labels cut to 20 characters, the full label shown in the chat
// as what the person chose.
func quickReply(ss []bot.Suggestion) *messaging_api.QuickReply {
	var items []messaging_api.QuickReplyItem
	for _, s := range ss {
		if len(items) == maxQuickReplies {
			break
		}
		data := s.Action.Payload()
		lbl := cut(strings.TrimSpace(s.Label), maxQuickReplyLabel)
		if lbl == "" || units(data) > maxPostbackData {
			continue
		}
		items = append(items, messaging_api.QuickReplyItem{
			Type:   "action",
			Action: &messaging_api.PostbackAction{Label: lbl, Data: data, DisplayText: cut(s.Label, maxDisplayText)},
		})
	}
	if len(items) == 0 {
		return nil
	}
	return &messaging_api.QuickReply{Items: items}
}
