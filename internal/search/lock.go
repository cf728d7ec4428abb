package search

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Lock is an exclusive hold on an index path, shared by every atlas process: one process
// builds or serves an index at a time. It lives in a file beside the index directory because
// the directory itself is replaced on every build.
//
// On a read-only file system nothing can build or change the index, so serving it needs no
// exclusive hold: the lock is then shared when the lock file exists, and empty when it does
// not.
type Lock struct {
	f *os.File // nil for an empty lock
}

// ErrLocked means another process holds the index.
var ErrLocked = errors.New("index is in use by another process")

// errWouldBlock is what lockFile returns when another process holds the lock.
var errWouldBlock = errors.New("lock held elsewhere")

// AcquireLock takes the lock for the index at path, waiting at most timeout.
func AcquireLock(path string, timeout time.Duration) (*Lock, error) {
	lockPath := filepath.Clean(path) + ".lock"
	if err := os.MkdirAll(filepath.Dir(lockPath), 0o755); err != nil && !readOnly(err) {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		f, exclusive, err := lockFile(lockPath)
		switch {
		case err == nil:
			if exclusive {
				f.Truncate(0)
				f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			}
			return &Lock{f: f}, nil
		case readOnly(err) && errors.Is(err, fs.ErrNotExist):
			return &Lock{}, nil
		case !errors.Is(err, errWouldBlock):
			return nil, fmt.Errorf("locking %s: %w", lockPath, err)
		}
		if time.Now().After(deadline) {
			owner, _ := os.ReadFile(lockPath)
			who := ""
			if pid := strings.TrimSpace(string(owner)); pid != "" {
				who = " (pid " + pid + ")"
			}
			return nil, fmt.Errorf("%s: %w%s; stop it or use another --index", path, ErrLocked, who)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l.f == nil {
		return nil
	}
	unlockFile(l.f)
	return l.f.Close()
}

// readOnlyError marks a lock file that could only be opened for reading, and why.
type readOnlyError struct{ err error }

func (e readOnlyError) Error() string { return e.err.Error() }
func (e readOnlyError) Unwrap() error { return e.err }

func readOnly(err error) bool {
	var ro readOnlyError
	return errors.As(err, &ro) || isReadOnlyFS(err)
}
