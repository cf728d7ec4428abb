package web

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// The connection limits, on a real listener with loopback addresses as clients: a client at
// its limit gets a new connection only in place of one of its idle ones, and at the total
// limit the connection idle longest makes room.
func TestConnectionLimits(t *testing.T) {
	s := serveFixture(t, Config{MaxConns: 3, MaxConnsPerClient: 2})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	go hs.Serve(s.LimitListener(ln))
	defer hs.Shutdown(context.Background())

	type client struct {
		net.Conn
		r *bufio.Reader
	}
	dial := func(from string) client {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
		c, err := d.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(30 * time.Second))
		t.Cleanup(func() { c.Close() })
		return client{c, bufio.NewReader(c)}
	}
	// ask makes a request and reads the answer; after it the connection is idle.
	ask := func(c client) error {
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: atlas.test\r\n\r\n"); err != nil {
			return err
		}
		resp, err := http.ReadResponse(c.r, nil)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	closed := func(c client) bool {
		_, err := c.r.ReadByte()
		return err != nil
	}
	waitIdle := func(n int) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			s.conns.mu.Lock()
			idle := len(s.conns.idle)
			s.conns.mu.Unlock()
			if idle == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d idle connections, want %d", idle, n)
			}
			time.Sleep(time.Millisecond)
		}
	}

	// Client A opens two connections that send nothing yet: a third is refused.
	a1 := dial("127.0.0.1")
	dial("127.0.0.1")
	if a3 := dial("127.0.0.1"); !closed(a3) {
		t.Fatal("a third connection from one client was kept")
	}
	// Once a1 is idle, a new connection from A takes its place.
	if err := ask(a1); err != nil {
		t.Fatal(err)
	}
	waitIdle(1)
	a4 := dial("127.0.0.1")
	if err := ask(a4); err != nil {
		t.Fatalf("A's new connection: %v", err)
	}
	if !closed(a1) {
		t.Error("A's idle connection was not closed to make room")
	}
	waitIdle(1) // a4
	// B fills the server; C still gets in, in place of the connection idle longest (a4).
	b := dial("127.0.0.2")
	if err := ask(b); err != nil {
		t.Fatal(err)
	}
	waitIdle(2)
	c := dial("127.0.0.3")
	if err := ask(c); err != nil {
		t.Fatalf("C at the total limit: %v", err)
	}
	if !closed(a4) {
		t.Error("the connection idle longest was not closed for C")
	}
	if err := ask(b); err != nil {
		t.Errorf("B, idle for less long, lost its connection: %v", err)
	}
}
