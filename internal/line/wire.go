package line

// The JSON objects of the Messaging API that replies are made of, as
// plain structs. The SDK's own types (messaging_api.FlexBubble and
// friends) give every object a MarshalJSON that calls json.Marshal again,
// and encoding/json re-validates and copies what each one returns, so a
// reply of five cards (12 KB) took 0.6 ms to encode, and the size checks
// encode it again: most of the CPU a LINE event cost under load (see
// cmd/loadgen). These types encode in one pass.
//
// Field order, names and omitempty follow the SDK's types exactly (v8,
// model_flex_*.go and friends), so the JSON is byte for byte what the SDK
// sent: the golden files in testdata/golden hold it. Only the fields we
// use are here. Each object carries its "type" last, as the SDK writes it;
// the constructors below set it.

// textMessage is messaging_api.TextMessage.
type textMessage struct {
	QuickReply *quickReply `json:"quickReply,omitempty"`
	Text       string      `json:"text"`
	// QuoteToken quotes the message answered (groups and rooms).
	QuoteToken string `json:"quoteToken,omitempty"`
	Type       string `json:"type"`
}

// flexMessage is messaging_api.FlexMessage with a bubble or a carousel.
type flexMessage struct {
	QuickReply *quickReply `json:"quickReply,omitempty"`
	AltText    string      `json:"altText"`
	Contents   any         `json:"contents"` // *flexBubble or *flexCarousel
	Type       string      `json:"type"`
}

// GetType makes textMessage and flexMessage
// messaging_api.MessageInterface values, which the SDK client sends.
func (m *textMessage) GetType() string { return m.Type }
func (m *flexMessage) GetType() string { return m.Type }

func newTextMessage(text string) *textMessage { return &textMessage{Text: text, Type: "text"} }

func newFlexMessage(alt string, contents any) *flexMessage {
	return &flexMessage{AltText: alt, Contents: contents, Type: "flex"}
}

type flexCarousel struct {
	Contents []*flexBubble `json:"contents"`
	Type     string        `json:"type"`
}

type flexBubble struct {
	Body   *flexBox `json:"body,omitempty"`
	Footer *flexBox `json:"footer,omitempty"`
	Type   string   `json:"type"`
	// enc is the bubble's JSON as appendBubble made it, for a bubble the
	// card memo keeps (cards.go) and so never changes again; nil for
	// the others.
	enc []byte
}

// component is a Flex component: *flexBox, *flexText, *flexSeparator or
// *flexButton.
type component any

type flexBox struct {
	Layout   string      `json:"layout"` // vertical, baseline
	Flex     int32       `json:"flex"`
	Spacing  string      `json:"spacing,omitempty"`
	Margin   string      `json:"margin,omitempty"`
	Type     string      `json:"type"`
	Contents []component `json:"contents"`
}

type flexText struct {
	Flex     int32      `json:"flex"`
	Text     string     `json:"text,omitempty"`
	Size     string     `json:"size,omitempty"`
	Color    string     `json:"color,omitempty"`
	Weight   string     `json:"weight,omitempty"`
	Wrap     bool       `json:"wrap"`
	Margin   string     `json:"margin,omitempty"`
	Action   *uriAction `json:"action,omitempty"`
	MaxLines int32      `json:"maxLines"`
	Scaling  bool       `json:"scaling"`
	Type     string     `json:"type"`
}

type flexSeparator struct {
	Margin string `json:"margin,omitempty"`
	Type   string `json:"type"`
}

type flexButton struct {
	Flex   int32  `json:"flex"`
	Color  string `json:"color,omitempty"`
	Style  string `json:"style,omitempty"` // primary, link
	Action any    `json:"action"`          // *postbackAction or *uriAction
	Height string `json:"height,omitempty"`
	// Scaling is written as the SDK writes it, false.
	Scaling bool   `json:"scaling"`
	Type    string `json:"type"`
}

type uriAction struct {
	Label string `json:"label,omitempty"`
	URI   string `json:"uri,omitempty"`
	Type  string `json:"type,omitempty"`
}

type postbackAction struct {
	Label       string `json:"label,omitempty"`
	Data        string `json:"data,omitempty"`
	DisplayText string `json:"displayText,omitempty"`
	Type        string `json:"type,omitempty"`
}

type quickReply struct {
	Items []quickReplyItem `json:"items,omitempty"`
}

type quickReplyItem struct {
	Action *postbackAction `json:"action,omitempty"`
	Type   string          `json:"type,omitempty"`
}

// Flex values we use.
const (
	layoutVertical = "vertical"
	layoutBaseline = "baseline"
	weightBold     = "bold"
	stylePrimary   = "primary"
	styleLink      = "link"
	heightSmall    = "sm"
)

func newBox(layout string, contents []component) *flexBox {
	return &flexBox{Layout: layout, Contents: contents, Type: "box"}
}

func newSeparator(margin string) *flexSeparator {
	return &flexSeparator{Margin: margin, Type: "separator"}
}

func newURIAction(label, uri string) *uriAction {
	return &uriAction{Label: label, URI: uri, Type: "uri"}
}

func newPostbackAction(label, data, display string) *postbackAction {
	return &postbackAction{Label: label, Data: data, DisplayText: display, Type: "postback"}
}

// newText and newButton fill in the type of a component written as a
// literal.
func newText(t flexText) *flexText { t.Type = "text"; return &t }

func newButton(b flexButton) *flexButton { b.Type = "button"; return &b }
