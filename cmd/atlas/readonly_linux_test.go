package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A child started with ATLAS_TEST_READONLY=dir (in its own user and mount namespaces, see
// readOnlyServe) sees dir mounted read-only.
func init() {
	dir := os.Getenv("ATLAS_TEST_READONLY")
	if dir == "" {
		return
	}
	if err := syscall.Mount(dir, dir, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		panic(err)
	}
	// A remount in a user namespace must keep the flags the mount already has.
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		panic(err)
	}
	flags := uintptr(syscall.MS_REMOUNT | syscall.MS_BIND | syscall.MS_RDONLY)
	for _, f := range []struct{ st, ms uintptr }{{2, syscall.MS_NOSUID}, {4, syscall.MS_NODEV}, {8, syscall.MS_NOEXEC},
		{1024, syscall.MS_NOATIME}, {2048, syscall.MS_NODIRATIME}, {4096, syscall.MS_RELATIME}} {
		if uintptr(st.Flags)&f.st != 0 {
			flags |= f.ms
		}
	}
	if err := syscall.Mount("", dir, "", flags, ""); err != nil {
		panic(err)
	}
}

// readOnlyServe starts atlas serve with dir read-only.
func readOnlyServe(t *testing.T, dir string, args ...string) *served {
	t.Helper()
	cmd := serveProcess(t, args...)
	cmd.Env = append(cmd.Env, "ATLAS_TEST_READONLY="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: os.Getuid(), HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: os.Getgid(), HostID: os.Getgid(), Size: 1}},
	}
	return startServed(t, cmd)
}

// An index on a read-only file system is served, with or without a lock file beside it.
func TestServeReadOnlyIndex(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeCorpus(t, content, 3, "oryx")
	ro := filepath.Join(dir, "ro")
	index := filepath.Join(ro, "atlas.bleve")
	if code, _, errOut := runAtlas(t, "build", "--content", content, "--index", index); code != 0 {
		t.Fatalf("build: %s", errOut)
	}
	for _, lock := range []bool{true, false} {
		if !lock {
			os.Remove(index + ".lock")
		}
		s := readOnlyServe(t, ro, "--content", content, "--index", index)
		s.waitReady(t)
		waitFor(t, s.url+"/api/search?q=oryx", `"total":3`, true)
		s.stop()
	}
	// A stale index cannot be rebuilt there: serve stops and says what to do.
	os.WriteFile(filepath.Join(content, "new.md"), []byte("---\ntitle: New\nkind: topic\n---\nNew.\n"), 0o644)
	s := readOnlyServe(t, ro, "--content", content, "--index", index)
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		s.stop()
		t.Fatal("serve of a stale read-only index did not stop")
	}
	if out := s.output(); !strings.Contains(out, "cannot be rebuilt on a read-only file system") {
		t.Errorf("serve of a stale read-only index:\n%s", out)
	}
}
