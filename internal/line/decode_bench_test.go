package line

import (
	"encoding/json"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/webhook"
)

func BenchmarkDecodeWebhook(b *testing.B) {
	body := fixture(b, "group_mention")
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var cb webhook.CallbackRequest
			if err := json.Unmarshal(body, &cb); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("own", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeWebhook(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkReplyBody(b *testing.B) {
	msgs := render(sampleAnswers()["programmes_ja"], "")
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(struct {
				ReplyToken string `json:"replyToken"`
				Messages   any    `json:"messages"`
			}{"t", msgs}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("appendReply", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := replyBody("t", msgs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render", func(b *testing.B) {
		b.ReportAllocs()
		a := sampleAnswers()["programmes_ja"]
		for b.Loop() {
			render(a, "")
		}
	})
}
