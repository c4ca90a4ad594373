package linetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// SignatureHeader is the header LINE signs webhooks in.
const SignatureHeader = "X-Line-Signature"

// Signature is what LINE sends in X-Line-Signature: the base64 of the
// HMAC-SHA256 of the body with the channel secret. LINE signs no
// timestamp; a replay is recognised by its webhookEventId.
func Signature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Sign sets X-Line-Signature in h for body.
func Sign(h http.Header, secret string, body []byte) {
	h.Set(SignatureHeader, Signature(secret, body))
}
