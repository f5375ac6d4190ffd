package session

import (
	"testing"

	"github.com/seclab-dev/seclab/lessons"
)

func TestTestPackLints(t *testing.T) {
	probs, err := lessons.LintDir("testdata/pack")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Error(p.String())
	}
}
