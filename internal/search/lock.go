package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Lock is an exclusive hold on an index path, shared by every atlas process: one process
// builds or serves an index at a time. It lives in a file beside the index directory because
// the directory itself is replaced on every build.
type Lock struct {
	f *os.File
}

// ErrLocked means another process holds the index.
var ErrLocked = errors.New("index is in use by another process")

// AcquireLock takes the lock for the index at path, waiting at most timeout.
func AcquireLock(path string, timeout time.Duration) (*Lock, error) {
	lockPath := filepath.Clean(path) + ".lock"
	if err := os.MkdirAll(filepath.Dir(lockPath), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", lockPath, err)
		}
		if time.Now().After(deadline) {
			owner, _ := os.ReadFile(lockPath)
			f.Close()
			who := ""
			if pid := strings.TrimSpace(string(owner)); pid != "" {
				who = " (pid " + pid + ")"
			}
			return nil, fmt.Errorf("%s: %w%s; stop it or use another --index", path, ErrLocked, who)
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Lock{f: f}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	l.f.Truncate(0)
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	return l.f.Close()
}
