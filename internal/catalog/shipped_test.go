package catalog

import (
	"testing"

	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

func TestShippedLint(t *testing.T) {
	for _, p := range Lint(knowledge.FS, seeds.FS) {
		t.Error(p)
	}
}
