package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A HEAD response ends with its headers: a body after them would be read as the next response
// on a keep-alive connection. Each HEAD is followed on the same connection by a GET, whose
// answer must be the next thing on the wire.
func TestHeadHasNoBody(t *testing.T) {
	ts := httptest.NewServer(newTestServer(t, true))
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(conn)
	// Twice each: the second answer comes from the page cache.
	for _, target := range []string{"/", "/search?q=screening", "/search?q=screening", "/api/search?q=screening", "/docs/nl-guidelines", "/docs/nl-guidelines", "/feed.atom", "/nowhere"} {
		io.WriteString(conn, "HEAD "+target+" HTTP/1.1\r\nHost: atlas.test\r\n\r\nGET /healthz HTTP/1.1\r\nHost: atlas.test\r\n\r\n")
		head, err := http.ReadResponse(br, &http.Request{Method: http.MethodHead})
		if err != nil {
			t.Fatalf("HEAD %s: %v", target, err)
		}
		head.Body.Close()
		get, err := http.ReadResponse(br, &http.Request{Method: http.MethodGet})
		if err != nil {
			t.Fatalf("the GET after HEAD %s: %v (the HEAD response carried a body)", target, err)
		}
		body, _ := io.ReadAll(get.Body)
		get.Body.Close()
		if get.StatusCode != http.StatusOK || string(body) != "ok\n" {
			t.Fatalf("the GET after HEAD %s: %d %q", target, get.StatusCode, body)
		}
		if target != "/nowhere" && head.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %d", target, head.StatusCode)
		}
		if !strings.Contains(head.Header.Get("Content-Type"), "/") {
			t.Errorf("HEAD %s: no Content-Type", target)
		}
	}
}
