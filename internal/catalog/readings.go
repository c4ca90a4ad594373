package catalog

import (
	"errors"
	"io/fs"
	"unicode"
)

// ReadingsFile holds how the knowledge base's Japanese names are read
// aloud, so that a name written in romaji ("internet anzen kyoshitsu",
// "keisatsu") or in kana alone (「いんたーねっとあんぜんきょうしつ」) is
// found: the analyser's dictionary leaves readings out, so they are made
// ahead of time from the full one (go test ./internal/match -run
// TestReadings -update). The file is optional: without it, names are
// found as written only.
const ReadingsFile = "readings.yaml"

// loadReadings reads ReadingsFile when there is one. A reading is
// katakana, Latin letters and digits only. A reading of a name no longer
// in the knowledge base does no harm and is kept until the file is made
// again.
func (l *loader) loadReadings() {
	if _, err := fs.Stat(l.knowledge, ReadingsFile); errors.Is(err, fs.ErrNotExist) {
		return
	}
	var doc struct {
		Readings map[string]string `yaml:"readings"`
	}
	root, ok := l.decode(ReadingsFile, &doc)
	if !ok {
		return
	}
	for name, r := range doc.Readings {
		if r == "" || !readingRunes(r) {
			l.errf(ReadingsFile, pos(root, "readings", name), "the reading of %q must be katakana, Latin letters and digits: %q", name, r)
			delete(doc.Readings, name)
		}
	}
	l.c.Readings = doc.Readings
}

func readingRunes(s string) bool {
	for _, r := range s {
		if !(r >= 'ァ' && r <= 'ヺ' || r == 'ー' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-')) {
			return false
		}
	}
	return true
}
