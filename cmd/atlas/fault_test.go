package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

// served is an atlas serve child process and what it has logged.
type served struct {
	cmd  *exec.Cmd
	url  string // http://host:port, once it listens
	mu   sync.Mutex
	log  bytes.Buffer
	done chan struct{} // closed when the process has exited
}

func (s *served) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// stop ends the process and waits for it.
func (s *served) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// startServe runs atlas serve on a free port with the repository's templates and static files
// and waits until it listens. env is added to the child's environment.
func startServe(t *testing.T, env []string, args ...string) *served {
	t.Helper()
	cmd := serveProcess(t, args...)
	cmd.Env = append(cmd.Env, env...)
	return startServed(t, cmd)
}

// serveProcess is the command of atlas serve on a free port with the repository's templates
// and static files.
func serveProcess(t *testing.T, args ...string) *exec.Cmd {
	return atlasProcess(t, append([]string{"serve", "--addr", "127.0.0.1:0", "--templates", "../../templates", "--static", "../../static"}, args...)...)
}

// startServed starts an atlas serve command and waits until it listens.
func startServed(t *testing.T, cmd *exec.Cmd) *served {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.log.WriteString(line + "\n")
			s.mu.Unlock()
			if _, addr, ok := strings.Cut(line, "msg=listening addr="); ok {
				addr, _, _ = strings.Cut(addr, " ")
				listening <- addr
			}
		}
		cmd.Wait()
		close(s.done)
	}()
	select {
	case s.url = <-listening:
	case <-s.done:
		t.Fatalf("atlas serve exited before it listened:\n%s", s.output())
	case <-time.After(60 * time.Second):
		s.stop()
		t.Fatalf("atlas serve never listened:\n%s", s.output())
	}
	return s
}

// waitReady polls /readyz until the index is open, and fails when the process exits first.
func (s *served) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.done:
			t.Fatalf("atlas serve exited before it was ready:\n%s", lastLines(s.output(), 20))
		case <-deadline:
			t.Fatalf("atlas serve never became ready:\n%s", lastLines(s.output(), 20))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// searchAnswers is what a server answers to a few searches, without the time they took.
func searchAnswers(t *testing.T, base string) string {
	t.Helper()
	took := regexp.MustCompile(`"took_ms":[0-9.e+-]+,?`)
	var b strings.Builder
	for _, q := range []string{"q=knowledge+security", "q=partner+screening&country=nl&country=ca", "q=export+control&sort=newest", "kind=finding&size=100"} {
		resp, err := http.Get(base + "/api/search?" + q)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Fprintf(&b, "%s %d %s\n", q, resp.StatusCode, took.ReplaceAll(body, nil))
	}
	return b.String()
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A byte flipped anywhere in a built index never crashes or hangs serve: the damage is found,
// the index rebuilt, and the searches answer exactly as from the undamaged index.
func TestFlippedIndexByte(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 51 servers")
	}
	dir := t.TempDir()
	pristine := filepath.Join(dir, "pristine", "atlas.bleve")
	if code, _, errOut := runAtlas(t, "build", "--content", "../../content", "--index", pristine); code != 0 {
		t.Fatalf("build: %d %s", code, errOut)
	}
	ref := startServe(t, nil, "--content", "../../content", "--index", pristine)
	ref.waitReady(t)
	want := searchAnswers(t, ref.url)
	ref.stop()
	if !strings.Contains(want, `"id"`) {
		t.Fatalf("the reference searches found nothing:\n%s", want)
	}

	var files []string
	filepath.WalkDir(pristine, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	rng := rand.New(rand.NewPCG(17, 2024))
	// Under the race detector each damaged index takes about 15 s to find and rebuild, so fewer
	// flips keep the package inside its time limit; the plain run covers 50.
	flips := 50
	if raceEnabled {
		flips = 12
	}
	for i := range flips {
		file := files[rng.IntN(len(files))]
		rel, _ := filepath.Rel(pristine, file)
		data, _ := os.ReadFile(file)
		off := rng.IntN(len(data))
		xor := byte(1 + rng.IntN(255))
		name := fmt.Sprintf("%s byte %d ^ %#02x", rel, off, xor)
		index := filepath.Join(dir, fmt.Sprint(i), "atlas.bleve")
		copyDir(t, pristine, index)
		data[off] ^= xor
		os.WriteFile(filepath.Join(index, rel), data, 0o644)

		s := startServe(t, nil, "--content", "../../content", "--index", index)
		ok := t.Run(name, func(t *testing.T) {
			s.waitReady(t)
			if got := searchAnswers(t, s.url); got != want {
				t.Errorf("searches answer differently after the flip:\n%s\nwant\n%s", got, want)
			}
			if !strings.Contains(s.output(), "index rebuilt") {
				t.Errorf("the damage went unnoticed: the index was not rebuilt")
			}
		})
		s.stop()
		if !ok {
			t.Logf("%s: server log:\n%s", name, lastLines(s.output(), 30))
		}
		os.RemoveAll(filepath.Dir(index))
	}
}
