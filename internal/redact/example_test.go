package redact_test

import (
	"fmt"

	"github.com/supportbot/supportbot/internal/redact"
)

func ExampleText() {
	fmt.Println(redact.Text("090-1234-5678 の山田です。taro@example.jp に https://example.com/?id=42 が届いた"))
	fmt.Println(redact.Text("口座番号 1234567 とカード 4111 1111 1111 1111"))
	fmt.Println(redact.Text("110番と#9110、2019年度"))
	// Output:
	// [phone] の山田です。[email] に [url] が届いた
	// 口座番号 [number] とカード [number]
	// 110番と#9110、2019年度
}
