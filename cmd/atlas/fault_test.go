package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/search"
)

// TestMain lets a test run the atlas command in a child process: the test binary re-executes
// itself with ATLAS_TEST_ARGS set.
func TestMain(m *testing.M) {
	if args := os.Getenv("ATLAS_TEST_ARGS"); args != "" {
		os.Exit(run(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func atlasProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ATLAS_TEST_ARGS="+strings.Join(args, "\x1f"))
	return cmd
}

// writeCorpus writes n generated topic entries of about 300 words each.
func writeCorpus(t *testing.T, dir string, n int, word string) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	body := strings.Repeat("research security partnership screening knowledge transfer export control ", 40)
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("---\ntitle: Entry %d about %s\nkind: topic\n---\n## Part\n%s %s%d\n", i, word, body, word, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("e%05d.md", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A build killed half-way leaves the previous index working, and the next build succeeds.
func TestKilledBuildKeepsPreviousIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large corpus")
	}
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small"), filepath.Join(dir, "big")
	index := filepath.Join(dir, "index", "atlas.bleve")
	writeCorpus(t, small, 5, "walrus")
	writeCorpus(t, big, 6000, "narwhal")
	if code, out, errOut := runAtlas(t, "build", "--content", small, "--index", index); code != 0 {
		t.Fatalf("first build: %d %s %s", code, out, errOut)
	}

	cmd := atlasProcess(t, "build", "--content", big, "--index", index)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it is writing the new index into its temporary directory.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m, _ := filepath.Glob(index + ".tmp-*/index"); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the build never started writing: %s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if strings.Contains(out.String(), "indexed") {
		t.Skip("the build finished before it could be killed")
	}

	corpus, _, err := loadCorpus(small)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(index, corpus)
	if err != nil {
		t.Fatalf("the previous index does not open after a killed build: %v", err)
	}
	res, err := ix.Search(context.Background(), search.Request{Query: "walrus", Page: 1, Size: 10})
	ix.Close()
	if err != nil || res.Total != 5 {
		t.Fatalf("search of the previous index: %v, %v", res, err)
	}
	if code, _, errOut := runAtlas(t, "build", "--content", small, "--index", index); code != 0 {
		t.Fatalf("build after the killed one: %d %s", code, errOut)
	}
	if left, _ := filepath.Glob(index + ".*"); len(left) != 1 || !strings.HasSuffix(left[0], ".lock") {
		t.Errorf("leftovers beside the index: %v", left)
	}
}

// A second server on the same index stops at once with a clear error instead of hanging.
func TestSecondServerOnOneIndex(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "content")
	index := filepath.Join(dir, "atlas.bleve")
	writeCorpus(t, corpus, 3, "okapi")
	first := atlasProcess(t, "serve", "--addr", "127.0.0.1:0", "--content", corpus, "--index", index,
		"--templates", "../../templates", "--static", "../../static")
	stderr, _ := first.StderrPipe()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { first.Process.Signal(syscall.SIGTERM); first.Wait() }()
	ready := make(chan bool)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "index rebuilt") || strings.Contains(sc.Text(), "index opened") {
				ready <- true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatal("the first server never opened its index")
	}

	second := atlasProcess(t, "serve", "--addr", "127.0.0.1:0", "--content", corpus, "--index", index,
		"--templates", "../../templates", "--static", "../../static")
	var out bytes.Buffer
	second.Stdout, second.Stderr = &out, &out
	done := make(chan error, 1)
	second.Start()
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(out.String(), "in use by another process (pid") {
			t.Errorf("second server: %v, output %q", err, out.String())
		}
	case <-time.After(30 * time.Second):
		second.Process.Kill()
		t.Fatal("the second server hung instead of failing")
	}
}
