package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A child process started with ATLAS_TEST_NOFILE may open only that many files.
func init() {
	if n, err := strconv.Atoi(os.Getenv("ATLAS_TEST_NOFILE")); err == nil {
		l := syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			panic(err)
		}
	}
}

// One address holding 8,000 idle keep-alive connections to a server that may open 4,096 files
// does not keep another client out. (Loopback addresses stand for the two hosts.)
func TestConnectionFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 8,000 connections")
	}
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeCorpus(t, content, 3, "eland")
	s := startServe(t, []string{"ATLAS_TEST_NOFILE=4096"}, "--content", content, "--index", filepath.Join(dir, "atlas.bleve"))
	defer s.stop()
	s.waitReady(t)
	addr := s.url[len("http://"):]

	// The flood: each connection asks once, leaving it idle, and is then held open.
	var mu sync.Mutex
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				c, err := net.DialTimeout("tcp", addr, time.Second)
				if err != nil {
					continue
				}
				c.SetWriteDeadline(time.Now().Add(time.Second))
				io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: atlas.test\r\n\r\n")
				mu.Lock()
				held = append(held, c)
				mu.Unlock()
			}
		}()
	}
	for i := range 8000 {
		work <- i
	}
	close(work)
	wg.Wait()
	t.Logf("%d of 8000 connections opened", len(held))

	// Another host is answered.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	client := http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, a string) (net.Conn, error) { return d.DialContext(ctx, network, a) },
	}}
	resp, err := client.Get(s.url + "/api/search?q=eland")
	if err != nil {
		t.Fatalf("another client during the flood: %v\n%s", err, lastLines(s.output(), 10))
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"total":3`) {
		t.Fatalf("another client during the flood: %d %s", resp.StatusCode, body)
	}
}
