package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Default connection limits. Each connection costs a file descriptor: without limits one host
// holding idle keep-alive connections takes them all, and every other client fails.
const (
	defaultMaxConns          = 4096
	defaultMaxConnsPerClient = 128
)

// conns counts open connections, in total and per client, and knows which are idle between
// requests. A connection over a client's limit is closed at once; at the total limit, or at a
// client's, the connection idle longest (that client's own, at its limit) is closed to make
// room, so a host holding idle connections cannot keep others out.
type conns struct {
	max, perClient int
	trusted        []*net.IPNet // proxies, which speak for many clients: only the total applies

	mu       sync.Mutex
	total    int
	byClient map[string]int
	idle     map[*limitedConn]time.Time // idle since
}

func newConns(max, perClient int, trusted []*net.IPNet) *conns {
	return &conns{max: max, perClient: perClient, trusted: trusted, byClient: map[string]int{},
		idle: map[*limitedConn]time.Time{}}
}

// limitListener accepts connections within the limits.
type limitListener struct {
	net.Listener
	c *conns
}

// LimitListener returns ln with the server's connection limits applied; serve it with the
// http.Server that HTTPServer returns, which reports idle connections to it.
func (s *Server) LimitListener(ln net.Listener) net.Listener {
	return &limitListener{Listener: ln, c: s.conns}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if c := l.c.admit(nc); c != nil {
			return c, nil
		}
		nc.Close()
	}
}

// admit counts nc in, closing an idle connection to make room if need be; it returns nil when
// nc must be refused.
func (c *conns) admit(nc net.Conn) *limitedConn {
	ip := parseAddr(nc.RemoteAddr().String())
	key := clientKey(ip)
	limited := ip != nil && !isTrusted(ip, c.trusted)
	for {
		c.mu.Lock()
		var victim *limitedConn
		switch {
		case limited && c.byClient[key] >= c.perClient:
			victim = c.oldestIdle(key)
		case c.total >= c.max:
			victim = c.oldestIdle("")
		default:
			lc := &limitedConn{Conn: nc, c: c, key: key}
			c.total++
			c.byClient[key]++
			c.mu.Unlock()
			return lc
		}
		c.mu.Unlock()
		if victim == nil {
			return nil
		}
		victim.Close() // counts it out; then try again
	}
}

// oldestIdle is the connection idle longest, of client key or, for "", of anyone.
func (c *conns) oldestIdle(key string) *limitedConn {
	var oldest *limitedConn
	var since time.Time
	for lc, t := range c.idle {
		if (key == "" || lc.key == key) && (oldest == nil || t.Before(since)) {
			oldest, since = lc, t
		}
	}
	if oldest != nil {
		delete(c.idle, oldest) // so that two callers never pick the same one
	}
	return oldest
}

// state is the http.Server's ConnState hook: it keeps track of idle connections.
func (c *conns) state(nc net.Conn, st http.ConnState) {
	lc, ok := nc.(*limitedConn)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st == http.StateIdle && !lc.closed {
		c.idle[lc] = time.Now()
	} else {
		delete(c.idle, lc)
	}
}

// limitedConn is a connection counted by conns until it is closed.
type limitedConn struct {
	net.Conn
	c      *conns
	key    string
	closed bool // guarded by c.mu
}

func (lc *limitedConn) Close() error {
	c := lc.c
	c.mu.Lock()
	if !lc.closed {
		lc.closed = true
		c.total--
		if c.byClient[lc.key]--; c.byClient[lc.key] <= 0 {
			delete(c.byClient, lc.key)
		}
		delete(c.idle, lc)
	}
	c.mu.Unlock()
	return lc.Conn.Close()
}
