package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic, and every problem it
// reports must point into the file.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodGuidance))
	f.Add([]byte("---\ntitle: A\nkind: topic\n---\nbody\n"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("---\n- a\n- b\n---\n"))
	f.Add([]byte("---\nkind: finding\nquestion: general\ncountries: [int]\ntopics: []\nstages: [basic]\nphases: [conduct]\n---\n# x\n"))
	f.Add([]byte("---\r\ntitle: \"\\u0000\"\r\nkind: term\r\nsummary: s\r\n---\r\n<script>x</script>\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, probs, err := Load(fstest.MapFS{"x.md": {Data: data}}, ".", Options{Now: testNow})
		if err != nil {
			t.Fatalf("Load returned an error for file content: %v", err)
		}
		lines := strings.Count(string(data), "\n") + 2
		for _, p := range probs {
			if p.Path != "x.md" || p.Line < 1 || p.Line > lines {
				t.Errorf("problem %v points outside the file (%d lines)", p, lines)
			}
		}
		if Errors(probs) == 0 && c.Len() != 1 {
			t.Errorf("no errors but %d entries", c.Len())
		}
		if Errors(probs) > 0 && c.Get("x") != nil {
			t.Errorf("a file with errors was loaded")
		}
	})
}
