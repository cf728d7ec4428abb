package links

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// entryTitle is the title of the entry that cites every test link as its source.
const entryTitle = "National Knowledge Security Guidelines"

// testOptions keeps the tests quick; the timeout is generous for a local server.
func testOptions() Options {
	return Options{Timeout: time.Second, Backoff: 10 * time.Millisecond, HostDelay: time.Millisecond}
}

func source(u string) Link {
	return Link{URL: u, Uses: []Use{{ID: "nl-guidelines", Path: "guidance/nl-guidelines.md", Field: FieldURL, Title: entryTitle}}}
}

func html(title string) string {
	if title == "" {
		return "<!doctype html><html><head><meta charset=utf-8></head><body><h1>Hello</h1></body></html>"
	}
	return "<!doctype html><html><head><title>" + title + "</title></head><body><p>Text.</p></body></html>"
}

// siteServer answers the paths of TestCheck and records what it was sent.
type siteServer struct {
	*httptest.Server
	mu     sync.Mutex
	agents map[string]bool
	method map[string]bool
	flaky  atomic.Int32
}

func newSite(t *testing.T) *siteServer {
	t.Helper()
	s := &siteServer{agents: map[string]bool{}, method: map[string]bool{}}
	mux := http.NewServeMux()
	page := func(title string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html(title))
		}
	}
	mux.HandleFunc("/match", page("National knowledge security guidelines | Government.nl"))
	mux.HandleFunc("/other", page("Agricultural subsidies for dairy farmers"))
	mux.HandleFunc("/soft404", page("Page not found | Government.nl"))
	mux.HandleFunc("/notitle", page(""))
	mux.HandleFunc("/new", page("Knowledge security guidelines"))
	mux.HandleFunc("/doc.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n<title>Not a title</title>\n%%EOF\n")
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Write([]byte("<html><head><title>Leitfaden f\xfcr Wissenschaftssicherheit: National Knowledge Security Guidelines</title></head></html>"))
	})
	redirect := func(code int, to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) }
	}
	mux.HandleFunc("/old", redirect(http.StatusMovedPermanently, "/new"))
	mux.HandleFunc("/old308", redirect(http.StatusPermanentRedirect, "/old"))
	mux.HandleFunc("/moved-then-temp", redirect(http.StatusMovedPermanently, "/temp"))
	mux.HandleFunc("/temp", redirect(http.StatusFound, "/match"))
	mux.HandleFunc("/old-to-home", redirect(http.StatusMovedPermanently, "/other"))
	mux.HandleFunc("/loop-a", redirect(http.StatusFound, "/loop-b"))
	mux.HandleFunc("/loop-b", redirect(http.StatusFound, "/loop-a"))
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no robots", http.StatusForbidden)
	})
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if s.flaky.Add(1) == 1 {
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		page(entryTitle)(w, r)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.agents[r.UserAgent()] = true
		s.method[r.Method] = true
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// closedURL returns an address on which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/gone"
}

// slowServer never answers before the client gives up.
func slowServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestCheck(t *testing.T) {
	site := newSite(t)
	slow := slowServer(t)
	closed := closedURL(t)
	u := func(p string) string { return site.URL + p }

	for _, test := range []struct {
		name     string
		url      string
		status   Status
		detail   string // a part of Detail
		suggest  string
		attempts int // 0: not checked
	}{
		{"title matches", u("/match"), OK, "", "", 1},
		{"title differs", u("/other"), Changed, `does not resemble "National Knowledge Security Guidelines"`, "", 1},
		{"soft 404", u("/soft404"), Changed, "looks like an error page", "", 1},
		{"no title", u("/notitle"), OK, "", "", 1},
		{"pdf", u("/doc.pdf"), OK, "", "", 1},
		{"latin-1 title", u("/latin1"), OK, "", "", 1},
		{"301", u("/old"), Moved, "permanent redirect (301) to " + u("/new"), u("/new"), 2},
		{"308 then 301", u("/old308"), Moved, "(308, 301)", u("/new"), 3},
		{"301 then 302", u("/moved-then-temp"), Moved, "then temporary (302) to " + u("/match"), u("/temp"), 3},
		{"301 to another page", u("/old-to-home"), Changed, "after redirects to " + u("/other"), "", 2},
		{"302", u("/temp"), Redirected, "temporary redirect (302) to " + u("/match"), "", 2},
		{"404", u("/missing"), Dead, "HTTP 404 Not Found", "", 1},
		{"403", u("/forbidden"), Dead, "refuse automated checks", "", 1},
		{"500 then 200", u("/flaky"), OK, "", "", 2},
		{"always 500", u("/broken"), Dead, "HTTP 500 Internal Server Error after 3 attempts", "", 3},
		{"timeout", slow.URL + "/report", Dead, "timeout after 1s (3 attempts)", "", 3},
		{"closed port", closed, Dead, "connection refused (3 attempts)", "", 3},
		{"redirect loop", u("/loop-a"), Dead, "redirect loop: " + u("/loop-a") + " →302 " + u("/loop-b") + " →302 " + u("/loop-a"), "", 0},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			res, err := Check(t.Context(), []Link{source(test.url)}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			if r.Status != test.status || !strings.Contains(r.Detail, test.detail) {
				t.Errorf("Check(%s) = %s (%s), want %s containing %q", test.url, r.Status, r.Detail, test.status, test.detail)
			}
			if r.Suggest != test.suggest {
				t.Errorf("Check(%s).Suggest = %q, want %q", test.url, r.Suggest, test.suggest)
			}
			if test.attempts != 0 && r.Attempts != test.attempts {
				t.Errorf("Check(%s).Attempts = %d, want %d", test.url, r.Attempts, test.attempts)
			}
			if r.URL != test.url || len(r.Uses) != 1 || r.Uses[0].ID != "nl-guidelines" {
				t.Errorf("Check(%s) lost the link or its uses: %+v", test.url, r)
			}
		})
	}
	t.Run("sent", func(t *testing.T) {
		t.Parallel()
		if _, err := Check(t.Context(), []Link{source(u("/match"))}, testOptions()); err != nil {
			t.Fatal(err)
		}
		site.mu.Lock()
		defer site.mu.Unlock()
		if len(site.agents) != 1 || !site.agents[UserAgent] {
			t.Errorf("User-Agent headers sent: %v, want only %q", site.agents, UserAgent)
		}
		if len(site.method) != 1 || !site.method[http.MethodGet] {
			t.Errorf("methods sent: %v, want only GET", site.method)
		}
	})
}

func TestPageTitleCharset(t *testing.T) {
	site := newSite(t)
	res, err := Check(t.Context(), []Link{source(site.URL + "/latin1")}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := "Leitfaden für Wissenschaftssicherheit: National Knowledge Security Guidelines"; res[0].PageTitle != want {
		t.Errorf("PageTitle = %q, want %q", res[0].PageTitle, want)
	}
}

// TestChangedOnlyForSources checks that links which are not an entry's own source (a contact
// point, a link in a body) are never judged by their title.
func TestChangedOnlyForSources(t *testing.T) {
	site := newSite(t)
	l := Link{URL: site.URL + "/other", Uses: []Use{
		{ID: "nl", Path: "countries/nl.md", Field: FieldContactPoint, Title: "Netherlands"},
		{ID: "f-nl", Path: "findings/f-nl.md", Field: FieldBody, Title: "Finding"},
	}}
	res, err := Check(t.Context(), []Link{l}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Status != OK {
		t.Errorf("Check = %s (%s), want ok", res[0].Status, res[0].Detail)
	}
}

// TestPerHostLimit counts the requests in flight at a server while many links on it are
// checked with more workers than the per-host limit.
func TestPerHostLimit(t *testing.T) {
	var inFlight, peak atomic.Int32
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		served.Add(1)
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, html(entryTitle))
	}))
	defer srv.Close()
	other := newSite(t)

	var links []Link
	for i := range 12 {
		links = append(links, source(fmt.Sprintf("%s/page/%d", srv.URL, i)))
	}
	links = append(links, source(other.URL+"/match"), source(other.URL+"/notitle"))
	var progress []int
	opts := testOptions()
	opts.Concurrency = 8
	opts.Progress = func(done, total int, r Result) {
		if total != len(links) {
			t.Errorf("progress total %d, want %d", total, len(links))
		}
		progress = append(progress, done)
	}
	res, err := Check(t.Context(), links, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != OK {
			t.Errorf("%s: %s (%s), want ok", r.URL, r.Status, r.Detail)
		}
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("%d requests in flight at one host, want at most 2", p)
	}
	if n := served.Load(); n != 12 {
		t.Errorf("server answered %d requests, want 12", n)
	}
	if len(progress) != len(links) || progress[len(progress)-1] != len(links) {
		t.Errorf("progress calls %v, want 1..%d", progress, len(links))
	}
}

func TestCheckCancelled(t *testing.T) {
	slow := slowServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	opts := testOptions()
	opts.Timeout = time.Minute
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := Check(ctx, []Link{source(slow.URL + "/a"), source(slow.URL + "/b")}, opts)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Check after cancel: %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Check did not stop after its context was cancelled")
	}
}

func TestInterleaveHosts(t *testing.T) {
	var links []Link
	for _, u := range []string{"https://a.example/1", "https://a.example/2", "https://a.example/3",
		"https://b.example/1", "https://c.example/1", "https://b.example/2"} {
		links = append(links, Link{URL: u})
	}
	var got []string
	for _, i := range interleaveHosts(links) {
		got = append(got, links[i].URL)
	}
	want := "https://a.example/1 https://b.example/1 https://c.example/1 https://a.example/2 https://b.example/2 https://a.example/3"
	if strings.Join(got, " ") != want {
		t.Errorf("interleaveHosts = %v\nwant %s", got, want)
	}
}
