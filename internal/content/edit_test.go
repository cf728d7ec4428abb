package content

import "testing"

func TestSetFields(t *testing.T) {
	for _, test := range []struct {
		name, in string
		fields   []Field
		want     string
	}{
		{"replaces in place", "---\ntitle: A\nlast_verified: 2024-01-01\nsummary: S.\n---\nBody: last_verified: x\n",
			[]Field{{"last_verified", "2026-12-02"}},
			"---\ntitle: A\nlast_verified: 2026-12-02\nsummary: S.\n---\nBody: last_verified: x\n"},
		{"adds a missing key before the closing line", "---\ntitle: A\n---\nBody.\n",
			[]Field{{"last_verified", "2026-12-02"}, {"source_checked", "2026-12-02"}},
			"---\ntitle: A\nlast_verified: 2026-12-02\nsource_checked: 2026-12-02\n---\nBody.\n"},
		{"keeps a comment and CRLF", "---\r\ntitle: A\r\nupdated: 2025-01-01 # moved\r\n---\r\nB\r\n",
			[]Field{{"updated", "2026-12-02"}, {"last_verified", "2026-12-02"}},
			"---\r\ntitle: A\r\nupdated: 2026-12-02 # moved\r\nlast_verified: 2026-12-02\r\n---\r\nB\r\n"},
		{"ignores nested and longer keys", "---\napproach:\n  x:\n    checked: 2025-01-01\nchecked_by: me\n---\n",
			[]Field{{"checked", "2026-12-02"}},
			"---\napproach:\n  x:\n    checked: 2025-01-01\nchecked_by: me\nchecked: 2026-12-02\n---\n"},
	} {
		got, err := SetFields([]byte(test.in), test.fields...)
		if err != nil || string(got) != test.want {
			t.Errorf("%s: SetFields(%q) = %q, %v, want %q", test.name, test.in, got, err, test.want)
		}
	}
	for _, in := range []string{"title: A\n", "---\ntitle: A\n"} {
		if _, err := SetFields([]byte(in), Field{"updated", "2026-12-02"}); err == nil {
			t.Errorf("SetFields(%q) succeeded, want an error", in)
		}
	}
}
