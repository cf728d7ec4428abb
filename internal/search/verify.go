package search

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// An index on disk can be damaged after it was built: a bad disk, a bad copy. bleve reads what
// it opens without checking it, and a damaged segment can make it panic in a goroutine of its
// own, where no recover reaches, or allocate without bound. So Open checks every file first and
// the caller rebuilds a damaged index. A zap segment ends with a CRC-32 of all its other bytes;
// the other files (bolt's root, the index metadata) carry no checksum, so the build records
// their SHA-256 in checksumFile.
const checksumFile = "atlas-checksums"

// writeChecksums records the SHA-256 of every file in the index at dir that is not a segment.
func writeChecksums(dir string) error {
	var b strings.Builder
	err := walkFiles(dir, func(rel, path string) error {
		if strings.HasSuffix(rel, ".zap") {
			return nil
		}
		sum, err := fileSHA256(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, rel)
		return nil
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, checksumFile), []byte(b.String()), 0o644)
}

// verify checks every file of the index at dir: each segment against its CRC-32, each other
// file against the checksum the build recorded. Any file it cannot vouch for is an error.
func verify(dir string) error {
	list, err := os.ReadFile(filepath.Join(dir, checksumFile))
	if err != nil {
		return fmt.Errorf("no checksums: %w", err)
	}
	want := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(list)))
	for sc.Scan() {
		sum, rel, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 2*sha256.Size {
			return errors.New("the checksum list is damaged")
		}
		want[rel] = sum
	}
	for _, required := range []string{"index_meta.json", "store/root.bolt"} {
		if want[required] == "" {
			return fmt.Errorf("no checksum for %s", required)
		}
	}
	seen := 0
	err = walkFiles(dir, func(rel, path string) error {
		switch {
		case rel == checksumFile:
			return nil
		case strings.HasSuffix(rel, ".zap"):
			return checkSegment(path)
		case want[rel] == "":
			return fmt.Errorf("%s: not part of the index as built", rel)
		}
		sum, err := fileSHA256(path)
		if err != nil {
			return err
		}
		if sum != want[rel] {
			return fmt.Errorf("%s: checksum mismatch", rel)
		}
		seen++
		return nil
	})
	if err != nil {
		return err
	}
	if seen != len(want) {
		return errors.New("files listed in the checksums are missing")
	}
	return nil
}

// checkSegment compares a zap segment's bytes with the CRC-32 in its last four bytes.
func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() < 8 {
		return fmt.Errorf("%s: truncated segment", filepath.Base(path))
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, info.Size()-4); err != nil {
		return err
	}
	var stored [4]byte
	if _, err := io.ReadFull(f, stored[:]); err != nil {
		return err
	}
	if binary.BigEndian.Uint32(stored[:]) != h.Sum32() {
		return fmt.Errorf("%s: segment checksum mismatch", filepath.Base(path))
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// walkFiles calls fn for every regular file under dir, with its slash-separated relative path.
func walkFiles(dir string, fn func(rel, path string) error) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), path)
	})
}
