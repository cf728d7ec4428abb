package web

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

// Hostile requests get a 4xx that says what is wrong, never a 500, and nothing they send comes
// back unescaped.
func TestHostileRequests(t *testing.T) {
	s := newTestServer(t, true)
	script := "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
	huge := strings.Repeat("x", 5000)
	binary := "%00%01%02%ff%fe"
	for _, test := range []struct {
		target string
		status int
	}{
		{"/docs/..%2f..%2fetc%2fpasswd", 404},
		{"/docs/%2e%2e%2f%2e%2e%2fgo.mod", 404},
		{"/static/..%2f..%2fgo.mod", 404},
		{"/static/%2e%2e/%2e%2e/go.mod", 404},
		{"/static/../../go.mod", 404},
		{"/..%2f..%2fetc/passwd", 404},
		{"/docs/" + script, 404},
		{"/countries/" + script, 404},
		{"/topics/" + script, 404},
		{"/search?q=" + script, 200},
		{"/search?country=" + script, 400},
		{"/search?topic=" + script, 400},
		{"/search?sort=" + script, 400},
		{"/search?page=" + script, 400},
		{"/search?size=" + script, 400},
		{"/search?year=" + script, 400},
		{"/api/search?kind=" + script, 400},
		{"/compare?c=" + script, 400},
		{"/reading-list?theme=" + script, 400},
		{"/feed.atom?q=" + script, 200},
		{"/search?q=" + huge, 400},
		{"/api/search?q=" + huge, 400},
		{"/search?q=" + binary, 400},
		{"/api/search?country=" + binary, 400},
		{"/search?page=99999999999999999999", 400},
		{"/search?size=-1", 400},
		{"/search?q=%22%22%22%22", 200},
		{"/search?q=title%3A(*)%20AND%20%2Bx%5E2~", 200},
		{"/api/docs/" + huge, 404},
		{"/search?" + strings.Repeat("country=nl&", 60), 400},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: %d, want %d", short(test.target), rec.Code, test.status)
		}
		body := rec.Body.String()
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("GET %s: script came back unescaped", short(test.target))
		}
		if rec.Code >= 400 && strings.Contains(body, "goroutine") {
			t.Errorf("GET %s: a stack trace in the response", short(test.target))
		}
		if rec.Code == 400 && !strings.Contains(rec.Header().Get("Content-Type"), "json") {
			doc := mustDoc(t, rec)
			if msg := strings.TrimSpace(doc.Find(".lede").Text()); msg == "" || msg == "Internal error." {
				t.Errorf("GET %s: 400 page does not say what is wrong: %q", short(test.target), msg)
			}
		}
	}
	// A request body is refused beyond the limit, and writes are refused.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/search", strings.NewReader(strings.Repeat("a", 64<<10))))
	if rec.Code != http.StatusRequestEntityTooLarge && rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusNotFound {
		t.Errorf("large POST: %d", rec.Code)
	}
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// A flood from one client is answered 429 with Retry-After while another client is served.
func TestRateLimitPerClient(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static"), RateLimit: 5, RateBurst: 5}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.NewMemory(corpus)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSearcher(ix)
	from := func(addr, header string) int {
		req := httptest.NewRequest(http.MethodGet, "/api/search?q=security", nil)
		req.RemoteAddr = addr
		if header != "" {
			req.Header.Set("X-Forwarded-For", header)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code == 429 && rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		return rec.Code
	}
	limited := 0
	for i := 0; i < 30; i++ {
		// A forged header does not give the flooding client a new identity.
		if from("203.0.113.7:4000", fmt.Sprintf("198.51.100.%d", i)) == 429 {
			limited++
		}
	}
	if limited < 20 {
		t.Errorf("%d of 30 flood requests were limited, want most", limited)
	}
	if code := from("203.0.113.8:4000", ""); code != 200 {
		t.Errorf("another client got %d while one floods", code)
	}
	if code := get(t, s, "/search?q=security").Code; code != 200 {
		t.Errorf("pages are not rate limited, got %d", code)
	}
}

// A client that sends its headers too slowly is disconnected by the read-header timeout.
func TestSlowClientIsCutOff(t *testing.T) {
	corpus, _, _ := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{})
	s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static"), ReadHeaderTimeout: 200 * time.Millisecond}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	// Never finish the headers: the server must close the connection on its own.
	_, err = bufio.NewReader(conn).ReadString('\n')
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept a slow client's connection open")
	}

	// A normal client on the same server is answered.
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", err, resp)
	}
	resp.Body.Close()
}
