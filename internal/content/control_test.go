package content

import (
	"strings"
	"testing"
)

// A control character in a front-matter value, which would end a line or a field in the
// exports, is an error that names the field and the character.
func TestControlCharactersAreRejected(t *testing.T) {
	for _, test := range []struct{ fm, want string }{
		{`title: "Evil\rTY  - JOUR"`, `a.md:2: field "title" contains the control character U+000D`},
		{`title: "Tab\there"`, `a.md:2: field "title" contains the control character U+0009`},
		{`title: "Line\u2028separator"`, `a.md:2: field "title" contains the control character U+2028`},
		{"title: Fine\nsynonyms: [\"a\\x0bb\"]", `a.md:3: synonyms item contains the control character U+000B`},
	} {
		c, probs := load(t, map[string]string{"a.md": "---\n" + test.fm + "\nkind: term\n---\nBody.\n"})
		var got []string
		for _, p := range probs {
			got = append(got, p.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), test.want) || c.Get("a") != nil {
			t.Errorf("%s: problems %q, want %q and the entry left out", test.fm, got, test.want)
		}
	}
}
