package slacktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// The headers Slack signs requests in.
const (
	TimestampHeader = "X-Slack-Request-Timestamp"
	SignatureHeader = "X-Slack-Signature"
)

// Signature is what Slack sends in X-Slack-Signature for body sent at
// timestamp ts (Unix seconds): "v0=" and the hex of the HMAC-SHA256 of
// "v0:ts:body" with the signing secret.
func Signature(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// Sign sets the timestamp and signature headers in h for body sent at at.
// Slack's receivers refuse timestamps more than five minutes off their
// clock, so tests sign at test time.
func Sign(h http.Header, secret string, at time.Time, body []byte) {
	ts := strconv.FormatInt(at.Unix(), 10)
	h.Set(TimestampHeader, ts)
	h.Set(SignatureHeader, Signature(secret, ts, body))
}
