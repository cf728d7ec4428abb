package content

import (
	"os"
	"testing"
)

// TestCorpus holds the real content/ to the same rules as atlas check.
func TestCorpus(t *testing.T) {
	c, probs, err := Load(os.DirFS("../../content"), ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		if p.Severity == Error {
			t.Errorf("content/%s", p)
		}
	}
	if c.Len() == 0 {
		t.Error("content/ holds no entries")
	}
}
