//go:build windows

package search

import (
	"errors"
	"os"
	"syscall"
)

// errorSharingViolation is Windows' ERROR_SHARING_VIOLATION, which package syscall does not name.
const errorSharingViolation syscall.Errno = 32

// lockFile opens the lock file without sharing: while one process has it open, another's open
// fails with a sharing violation, and the hold ends when the handle is closed, also when the
// process dies.
func lockFile(path string) (*os.File, bool, error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, false, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, errorSharingViolation) {
			return nil, false, errWouldBlock
		}
		return nil, false, err
	}
	return os.NewFile(uintptr(h), path), true, nil
}

func unlockFile(f *os.File) { f.Truncate(0) }

func isReadOnlyFS(error) bool { return false }
