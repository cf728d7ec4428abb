//go:build unix

package search

import (
	"errors"
	"os"
	"syscall"
)

// lockFile opens the lock file and locks it: exclusively when it can be written, shared on a
// read-only file system. It returns errWouldBlock while another process holds it.
func lockFile(path string) (f *os.File, exclusive bool, err error) {
	how := syscall.LOCK_EX
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil && isReadOnlyFS(err) {
		how = syscall.LOCK_SH
		if f, err = os.Open(path); err != nil {
			return nil, false, readOnlyError{err}
		}
	}
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, errWouldBlock
		}
		return nil, false, err
	}
	return f, how == syscall.LOCK_EX, nil
}

func unlockFile(f *os.File) {
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		f.Truncate(0) // fails harmlessly on a shared, read-only lock
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

func isReadOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }
