// Package web is the web chat channel: a small page embedded in the binary
// (plain HTML, CSS and JavaScript, no build step) and the JSON API it
// talks to. POST /api/chat takes a message or a tapped button and returns
// the bot's Answer as is; the page renders the same cards, contact points
// and quick replies the LINE and Slack adapters render. The session id
// that keys the conversation ("web:"+session) is made by the server and
// kept by the page.
package web
