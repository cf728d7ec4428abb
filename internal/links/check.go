package links

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// Status is the verdict on one link.
type Status string

// The statuses, in the order a report lists them (OK last).
const (
	Dead       Status = "dead"       // unreachable: 4xx/5xx after retries, DNS, timeout, TLS, redirect loop
	Moved      Status = "moved"      // permanently redirected (301, 308): cite Result.Suggest instead
	Changed    Status = "changed"    // reachable, but the page title no longer matches the entry
	Redirected Status = "redirected" // temporarily redirected (302, 303, 307): reported, not a problem
	OK         Status = "ok"
)

// Statuses lists every status in report order.
var Statuses = []Status{Dead, Moved, Changed, Redirected, OK}

// UserAgent names the checker to the sites it visits.
const UserAgent = "ResearchSecurityAtlas-linkcheck/1 (+https://github.com/research-security-atlas/atlas)"

// Options tune Check. The zero value of a field means its default.
type Options struct {
	Concurrency   int           // links checked at once; default 8
	PerHost       int           // requests in flight to one host; default 2
	HostDelay     time.Duration // pause between the starts of two requests to one host; default 250ms, <0 for none
	Timeout       time.Duration // per request, headers and body; default 15s
	Retries       int           // retries after a timeout, connection error, 429 or 5xx; default 2, <0 for none
	Backoff       time.Duration // wait before the first retry, doubled for each next one; default 1s
	MaxBody       int64         // bytes of a page read; default 512 KB
	MaxRedirects  int           // default 10
	MinSimilarity float64       // page titles less similar than this are changed; default 0.25
	UserAgent     string        // default UserAgent
	// Transport sends the requests; default a clone of http.DefaultTransport.
	Transport http.RoundTripper
	// Progress, if set, is called after each link is checked, from one goroutine at a time.
	Progress func(done, total int, r Result)
}

func (o Options) withDefaults() Options {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.HostDelay == 0 {
		o.HostDelay = 250 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 2
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 512 << 10
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 10
	}
	if o.MinSimilarity == 0 {
		o.MinSimilarity = 0.25
	}
	if o.UserAgent == "" {
		o.UserAgent = UserAgent
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	return o
}

// Result is the verdict on one link.
type Result struct {
	URL    string `json:"url"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"` // what was found, in words
	Code   int    `json:"code,omitempty"`   // HTTP status of the last answer, 0 when there was none
	// Redirects are the hops followed from URL, in order.
	Redirects []Hop `json:"redirects,omitempty"`
	// Final is the address the redirects ended at.
	Final string `json:"final_url,omitempty"`
	// Suggest is the address to cite instead, for a moved link: where the permanent
	// redirects lead.
	Suggest   string `json:"suggest,omitempty"`
	PageTitle string `json:"page_title,omitempty"`
	Attempts  int    `json:"attempts"` // requests sent, over all hops and retries
	// NoAnswer is set when the network gave no answer at all: the name did not resolve, no
	// route, the connection was refused or timed out. When every link has it, the machine is
	// offline rather than every site gone (see NoNetwork).
	NoAnswer bool  `json:"no_answer,omitempty"`
	Uses     []Use `json:"uses"`
}

// Hop is one redirect: its status code and the address it pointed to.
type Hop struct {
	Code int    `json:"code"`
	URL  string `json:"url"`
}

// Check checks every link and returns one result per link, in the order given. When ctx is
// cancelled it stops early and returns ctx's error; the results of unchecked links are then
// empty.
func Check(ctx context.Context, links []Link, opts Options) ([]Result, error) {
	opts = opts.withDefaults()
	c := &checker{opts: opts, hosts: map[string]*hostGate{}}
	results := make([]Result, len(links))
	jobs := make(chan int)
	done := make(chan int)
	var wg sync.WaitGroup
	for range min(opts.Concurrency, len(links)) {
		wg.Go(func() {
			for i := range jobs {
				results[i] = c.check(ctx, links[i])
				done <- i
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, i := range interleaveHosts(links) {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	n := 0
	for i := range done {
		n++
		if opts.Progress != nil && ctx.Err() == nil {
			opts.Progress(n, len(links), results[i])
		}
	}
	return results, ctx.Err()
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// interleaveHosts orders the links so that consecutive ones are on different hosts where
// possible, which keeps workers from queueing behind one host's limit while others idle.
func interleaveHosts(links []Link) []int {
	byHost := map[string][]int{}
	var hosts []string
	for i, l := range links {
		h := hostKey(l.URL)
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], i)
	}
	// The busiest hosts first, so that their long queues start early.
	slices.SortStableFunc(hosts, func(a, b string) int { return len(byHost[b]) - len(byHost[a]) })
	order := make([]int, 0, len(links))
	for round := 0; len(order) < len(links); round++ {
		for _, h := range hosts {
			if round < len(byHost[h]) {
				order = append(order, byHost[h][round])
			}
		}
	}
	return order
}

func hostKey(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return strings.ToLower(u.Host)
	}
	return raw
}

type checker struct {
	opts Options

	mu    sync.Mutex
	hosts map[string]*hostGate
}

// hostGate limits the requests in flight to one host and spaces their starts.
type hostGate struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time // earliest start of the next request
}

func (c *checker) gate(host string) *hostGate {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.hosts[host]
	if g == nil {
		g = &hostGate{slots: make(chan struct{}, c.opts.PerHost)}
		c.hosts[host] = g
	}
	return g
}

func (g *hostGate) acquire(ctx context.Context, delay time.Duration) error {
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	start := time.Now()
	if g.next.After(start) {
		start = g.next
	}
	g.next = start.Add(delay)
	g.mu.Unlock()
	if err := sleep(ctx, time.Until(start)); err != nil {
		<-g.slots
		return err
	}
	return nil
}

func (g *hostGate) release() { <-g.slots }

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// page is one answer: what Check needs of it.
type page struct {
	code       int
	location   string
	mediaType  string
	params     map[string]string
	body       []byte
	retryAfter time.Duration
}

// check follows one link's redirects and judges where they end.
func (c *checker) check(ctx context.Context, l Link) Result {
	r := Result{URL: l.URL, Uses: l.Uses}
	cur, err := url.Parse(l.URL)
	if err != nil {
		r.Status, r.Detail = Dead, "invalid URL: "+err.Error()
		return r
	}
	// Each link gets its own cookie jar: some sites redirect to the same address after
	// setting a cookie, and answer the second request.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Transport: c.opts.Transport, CheckRedirect: noRedirects, Jar: jar}
	visits := map[string]int{cur.String(): 1}
	var p *page
	for {
		var tries int
		p, tries, err = c.fetch(ctx, client, cur)
		r.Attempts += tries
		if err != nil {
			r.Status, r.Detail = Dead, describe(err, c.opts.Timeout)
			r.NoAnswer = len(r.Redirects) == 0 && noAnswer(err)
			if tries > 1 {
				r.Detail += fmt.Sprintf(" (%d attempts)", tries)
			}
			if len(r.Redirects) > 0 {
				r.Detail += " at " + cur.String()
			}
			return r
		}
		r.Code = p.code
		if !isRedirect(p.code) {
			break
		}
		if p.location == "" {
			r.Status, r.Detail = Dead, fmt.Sprintf("HTTP %d without a Location header", p.code)
			return r
		}
		next, err := cur.Parse(p.location)
		if err != nil || (next.Scheme != "http" && next.Scheme != "https") || next.Host == "" {
			r.Status, r.Detail = Dead, fmt.Sprintf("HTTP %d to an unusable address %q", p.code, p.location)
			return r
		}
		next.Fragment, next.RawFragment = "", ""
		r.Redirects = append(r.Redirects, Hop{Code: p.code, URL: next.String()})
		// A second visit may be a cookie check; a third is a loop.
		if visits[next.String()]++; visits[next.String()] > 2 {
			r.Status, r.Detail = Dead, "redirect loop: "+chain(l.URL, r.Redirects)
			return r
		}
		if len(r.Redirects) >= c.opts.MaxRedirects {
			r.Status, r.Detail = Dead, fmt.Sprintf("more than %d redirects", c.opts.MaxRedirects)
			return r
		}
		cur = next
	}
	if len(r.Redirects) > 0 {
		r.Final = cur.String()
	}
	if r.Code < 200 || r.Code > 299 {
		r.Status, r.Detail = Dead, httpStatus(r.Code)
		switch {
		case r.Code == http.StatusForbidden || r.Code == http.StatusUnauthorized:
			r.Detail += " (the site may refuse automated checks: open it in a browser)"
		case retryStatus(r.Code) && c.opts.Retries > 0:
			r.Detail += fmt.Sprintf(" after %d attempts", c.opts.Retries+1)
		}
		if r.Final != "" {
			r.Detail += " at " + r.Final
		}
		return r
	}
	c.judge(&r, l, p)
	return r
}

// judge sets the status of a link whose redirects ended in a 2xx answer p.
func (c *checker) judge(r *Result, l Link, p *page) {
	r.PageTitle = pageTitle(p)
	if why := c.changed(r.PageTitle, l.Uses); why != "" {
		r.Status, r.Detail = Changed, why
		if r.Final != "" {
			r.Detail += ", after redirects to " + r.Final
		}
		return
	}
	// The permanent hops at the head of the chain say where the link now lives; a temporary
	// hop after them is the site's business (a login, a language choice), not the entry's.
	perm := 0
	for perm < len(r.Redirects) && permanent(r.Redirects[perm].Code) {
		perm++
	}
	switch {
	case perm > 0:
		r.Status, r.Suggest = Moved, r.Redirects[perm-1].URL
		r.Detail = fmt.Sprintf("permanent redirect (%s) to %s", codes(r.Redirects[:perm]), r.Suggest)
		if perm < len(r.Redirects) {
			r.Detail += fmt.Sprintf(", then temporary (%s) to %s", codes(r.Redirects[perm:]), r.Final)
		}
	case len(r.Redirects) > 0:
		r.Status = Redirected
		r.Detail = fmt.Sprintf("temporary redirect (%s) to %s", codes(r.Redirects), r.Final)
	default:
		r.Status = OK
	}
}

// changed says why a page title shows the page is no longer what the entries cite, or "".
func (c *checker) changed(title string, uses []Use) string {
	if title == "" {
		return ""
	}
	if errorTitle(title) {
		return fmt.Sprintf("page title %q looks like an error page", title)
	}
	// Only an entry's own source is expected to be titled like it. Entry titles are often
	// English renderings of a page in another language, so the file name (the id, usually
	// a slug of the original) is tried too.
	best, against := -1.0, ""
	for _, u := range uses {
		if u.Field != FieldURL {
			continue
		}
		for _, ref := range []string{u.Title, strings.ReplaceAll(u.ID, "-", " ")} {
			if s := Similarity(title, ref); s > best {
				best, against = s, u.Title
			}
		}
	}
	if best < 0 || best >= c.opts.MinSimilarity {
		return ""
	}
	return fmt.Sprintf("page title %q does not resemble %q (similarity %.2f)", title, against, best)
}

// fetch GETs u, retrying timeouts, connection errors, 429 and 5xx with exponential backoff.
// It returns the last answer (which may still be a 429 or 5xx), or the last error, and the
// number of requests sent.
func (c *checker) fetch(ctx context.Context, client *http.Client, u *url.URL) (*page, int, error) {
	var (
		p     *page
		err   error
		tries int
	)
	for attempt := 0; attempt <= c.opts.Retries; attempt++ {
		if attempt > 0 {
			wait := c.opts.Backoff << (attempt - 1)
			if p != nil && p.retryAfter > wait {
				wait = min(p.retryAfter, maxRetryAfter)
			}
			if err := sleep(ctx, wait); err != nil {
				return nil, tries, err
			}
		}
		tries++
		p, err = c.get(ctx, client, u)
		if ctx.Err() != nil {
			return nil, tries, ctx.Err()
		}
		switch {
		case err != nil && !retryable(err):
			return nil, tries, err
		case err == nil && !retryStatus(p.code):
			return p, tries, nil
		}
	}
	return p, tries, err
}

// maxRetryAfter caps how long a Retry-After header may make a retry wait.
const maxRetryAfter = 30 * time.Second

func retryStatus(code int) bool { return code == http.StatusTooManyRequests || code >= 500 }

// get sends one GET, within the host's limits and the per-request timeout, and reads at
// most MaxBody bytes of a 2xx answer.
func (c *checker) get(ctx context.Context, client *http.Client, u *url.URL) (*page, error) {
	g := c.gate(strings.ToLower(u.Host))
	if err := g.acquire(ctx, c.opts.HostDelay); err != nil {
		return nil, err
	}
	defer g.release()
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8")
	req.Header.Set("Accept-Language", "en;q=0.9, *;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := &page{code: resp.StatusCode, location: resp.Header.Get("Location")}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			p.retryAfter = time.Duration(n) * time.Second
		}
	}
	if p.code < 200 || p.code > 299 {
		return p, nil
	}
	p.mediaType, p.params, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	p.body, err = io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody))
	if err != nil {
		return nil, err
	}
	return p, nil
}

// pageTitle returns the <title> of an HTML page, or "" for anything else (a PDF, an image)
// and for a page without one.
func pageTitle(p *page) string {
	if bytes.HasPrefix(p.body, []byte("%PDF-")) {
		return ""
	}
	mt := p.mediaType
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(p.body))
	}
	if mt != "text/html" && mt != "application/xhtml+xml" {
		return ""
	}
	ct := "text/html"
	if cs := p.params["charset"]; cs != "" {
		ct += "; charset=" + cs
	}
	r, err := charset.NewReader(bytes.NewReader(p.body), ct)
	if err != nil {
		r = bytes.NewReader(p.body)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return ""
	}
	t := doc.Find("head > title").First()
	if t.Length() == 0 {
		t = doc.Find("title").First()
	}
	return strings.Join(strings.Fields(t.Text()), " ")
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func permanent(code int) bool {
	return code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect
}

func codes(hops []Hop) string {
	s := make([]string, len(hops))
	for i, h := range hops {
		s[i] = strconv.Itoa(h.Code)
	}
	return strings.Join(s, ", ")
}

// chain shows a redirect chain up to the first address it comes back to.
func chain(start string, hops []Hop) string {
	s, seen := start, map[string]bool{start: true}
	for _, h := range hops {
		s += fmt.Sprintf(" →%d %s", h.Code, h.URL)
		if seen[h.URL] {
			break
		}
		seen[h.URL] = true
	}
	return s
}

func httpStatus(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// retryable reports whether a request error may go away on its own: a timeout or a
// connection error, but not a missing host name or a bad certificate.
func retryable(err error) bool {
	if isTLS(err) {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsNotFound
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET)
}

func isTLS(err error) bool {
	var (
		rec  tls.RecordHeaderError
		alt  tls.AlertError
		ver  *tls.CertificateVerificationError
		ua   x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
	)
	return errors.As(err, &rec) || errors.As(err, &alt) || errors.As(err, &ver) ||
		errors.As(err, &ua) || errors.As(err, &host) || errors.As(err, &inv)
}

// describe says in a few words why a request failed.
func describe(err error, timeout time.Duration) string {
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return "check interrupted"
	case isTLS(err):
		return "TLS: " + innermost(err)
	case errors.As(err, &dns) && dns.IsNotFound:
		return "DNS: no such host " + dns.Name
	case errors.As(err, &dns):
		return "DNS: " + dns.Err
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "timeout after " + timeout.String()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	}
	return "connection error: " + innermost(err)
}

// noAnswer reports whether err means the network never answered: a failed name lookup, no
// route, a refused connection or a timeout. A TLS failure or an HTTP status is an answer.
func noAnswer(err error) bool {
	if isTLS(err) || errors.Is(err, context.Canceled) {
		return false
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.EADDRNOTAVAIL) ||
		errors.Is(err, context.DeadlineExceeded) || isTimeout(err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// innermost drops the url.Error wrapping, which repeats the method and address.
func innermost(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
