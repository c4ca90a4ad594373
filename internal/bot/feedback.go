package bot

import (
	"errors"
	"strings"
)

// A ballot is the value of an ActionFeedback button: the vote, the id of
// the answer voted on and a tag that binds the two to the conversation
// the answer was given in ("up.<answer id>.<tag>"). The tag is made and
// checked by the question log with its key; whoever taps a button of
// another conversation, or makes up an id, holds no valid tag.

// ErrBadBallot is returned by ParseBallot for a value that is not a ballot.
var ErrBadBallot = errors.New("bot: not a feedback ballot")

// maxToken bounds the answer id and the tag of a ballot.
const maxToken = 64

// FeedbackFor returns the 👍 and 👎 actions of an answer.
func FeedbackFor(answerID, tag string) *Feedback {
	return &Feedback{
		Up:   Action{Kind: ActionFeedback, Value: BallotValue(VoteUp, answerID, tag)},
		Down: Action{Kind: ActionFeedback, Value: BallotValue(VoteDown, answerID, tag)},
	}
}

// BallotValue encodes a ballot as an action value.
func BallotValue(v Vote, answerID, tag string) string {
	return string(v) + "." + answerID + "." + tag
}

// ParseBallot decodes an action value made by BallotValue. The answer id
// and tag are URL-safe base64 of at most 64 characters each; nothing here
// says they are genuine.
func ParseBallot(value string) (v Vote, answerID, tag string, err error) {
	parts := strings.Split(value, ".")
	if len(parts) != 3 {
		return "", "", "", ErrBadBallot
	}
	v = Vote(parts[0])
	if !v.Valid() || !token(parts[1]) || !token(parts[2]) {
		return "", "", "", ErrBadBallot
	}
	return v, parts[1], parts[2], nil
}

// token reports whether s is 1 to maxToken characters of URL-safe base64.
func token(s string) bool {
	if s == "" || len(s) > maxToken {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
