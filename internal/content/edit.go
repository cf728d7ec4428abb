package content

import (
	"bytes"
	"errors"
)

// Field is one front-matter key and the value to give it.
type Field struct{ Key, Value string }

// SetFields gives top-level front-matter keys new values, editing the file's lines in place:
// the line `key: …` becomes `key: value` (a trailing `# comment` is kept), and a key that is
// absent gets a line of its own just before the closing `---`. Every other byte of the file
// stays as it was, line endings included. Values are written as they are given, so they must
// be plain YAML scalars such as dates.
func SetFields(data []byte, fields ...Field) ([]byte, error) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) == 0 || string(bytes.TrimRight(bytes.TrimPrefix(lines[0], []byte("\ufeff")), " \t\r\n")) != "---" {
		return nil, errors.New(`no front matter: the file must start with a "---" line`)
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if string(bytes.TrimRight(lines[i], " \t\r\n")) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, errors.New(`front matter is not closed: add a "---" line after the last field`)
	}
	eol := []byte("\n")
	if bytes.HasSuffix(lines[0], []byte("\r\n")) {
		eol = []byte("\r\n")
	}
	var added [][]byte
	for _, f := range fields {
		prefix := []byte(f.Key + ":")
		found := false
		for i := 1; i < end; i++ {
			l := lines[i]
			if !bytes.HasPrefix(l, prefix) {
				continue
			}
			if rest := l[len(prefix):]; len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '\n' && rest[0] != '\r' {
				continue // a longer key that starts the same, such as source_checked_by
			}
			body := bytes.TrimRight(l, "\r\n")
			nl := l[len(body):]
			comment := []byte{}
			if j := bytes.Index(body, []byte(" #")); j >= 0 {
				comment = body[j:]
			}
			lines[i] = bytes.Join([][]byte{prefix, []byte(" " + f.Value), comment, nl}, nil)
			found = true
			break
		}
		if !found {
			added = append(added, append([]byte(f.Key+": "+f.Value), eol...))
		}
	}
	var out bytes.Buffer
	out.Grow(len(data) + 64)
	for i, l := range lines {
		if i == end {
			for _, a := range added {
				out.Write(a)
			}
		}
		out.Write(l)
	}
	return out.Bytes(), nil
}

// Accepts reports whether entries of kind k may have the front-matter key.
func Accepts(k Kind, key string) bool {
	f, ok := fields[key]
	return ok && (f.kinds == nil || contains(f.kinds, k))
}
