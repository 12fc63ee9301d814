package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testConn is a conn to url that is closed when the test ends.
func testConn(t testing.TB, ctx context.Context, url string) *conn {
	t.Helper()
	addr, host, err := parseBase(url)
	if err != nil {
		t.Fatal(err)
	}
	c := newConn(ctx, addr, host)
	t.Cleanup(c.close)
	return c
}

// countingServer is an httptest server that counts the connections it accepted.
func countingServer(t testing.TB, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &n
}

// rawServer accepts connections and hands each to serve, for answers that
// net/http would not write; it returns the base URL and the accepted count.
func rawServer(t testing.TB, serve func(nc net.Conn, br *bufio.Reader)) (string, *atomic.Int32) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				serve(nc, bufio.NewReader(nc))
			}()
		}
	}()
	return "http://" + ln.Addr().String(), &n
}

// readRequest reads one request and returns its first line and body.
func readRequest(br *bufio.Reader) (line string, body []byte, err error) {
	n := 0
	for i := 0; ; i++ {
		l, err := br.ReadString('\n')
		if err != nil {
			return "", nil, err
		}
		l = strings.TrimRight(l, "\r\n")
		if i == 0 {
			line = l
			continue
		}
		if l == "" {
			break
		}
		if k, v, _ := strings.Cut(l, ":"); strings.EqualFold(k, "Content-Length") {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	body = make([]byte, n)
	_, err = io.ReadFull(br, body)
	return line, body, err
}

func TestParseBase(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ base, addr, host string }{
		{"http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8080"},
		{"http://localhost", "localhost:80", "localhost"},
		{"http://[::1]:9000/", "[::1]:9000", "[::1]:9000"},
	} {
		addr, host, err := parseBase(c.base)
		if err != nil || addr != c.addr || host != c.host {
			t.Errorf("%s: got %q %q %v, want %q %q", c.base, addr, host, err, c.addr, c.host)
		}
	}
	for _, bad := range []string{"https://example.com", "example.com:80", "http://"} {
		if _, _, err := parseBase(bad); err == nil {
			t.Errorf("%s: got no error", bad)
		}
	}
}

func TestConnContentLengthBodyOnOneConnection(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.String()+" host="+r.Host+" apikey="+r.Header.Get("apikey")+
			" ct="+r.Header.Get("Content-Type")+" len="+strconv.FormatInt(r.ContentLength, 10)+" body="+string(body))
		mu.Unlock()
		w.Write([]byte(`{"success":true,"code":"new_sale_01","path":"` + r.URL.Path + `"}`))
	})
	c := testConn(t, context.Background(), srv.URL)
	hdr := renderHeader(formHeader("k1"))
	for i, p := range []string{"/wallet/sale", "/wallet/contact/get"} {
		status, body, err := c.do("POST", p, hdr, []byte("phone=55"+strconv.Itoa(i)))
		if err != nil || status != 200 || apiCode(body) != "new_sale_01" || !bytes.Contains(body, []byte(p)) {
			t.Fatalf("POST %s: %d %q %v", p, status, body, err)
		}
	}
	status, body, err := c.do("GET", "/api/transaction/history?customerId=c1", renderHeader(http.Header{"Authorization": {"Bearer t"}}), nil)
	if err != nil || status != 200 || !bytes.Contains(body, []byte("history")) {
		t.Fatalf("GET: %d %q %v", status, body, err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	want := []string{
		"POST /wallet/sale host=" + host + " apikey=k1 ct=application/x-www-form-urlencoded len=9 body=phone=550",
		"POST /wallet/contact/get host=" + host + " apikey=k1 ct=application/x-www-form-urlencoded len=9 body=phone=551",
		"GET /api/transaction/history?customerId=c1 host=" + host + " apikey= ct= len=0 body=",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("server saw\n%s\nwant\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1 kept alive", n)
	}
}

func TestConnChunkedBody(t *testing.T) {
	t.Parallel()
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[`))
		w.(http.Flusher).Flush() // no length known yet: net/http goes chunked
		w.Write([]byte(`1,2,3]}`))
	})
	c := testConn(t, context.Background(), srv.URL)
	for range 3 {
		status, body, err := c.do("GET", "/x", nil, nil)
		if err != nil || status != 200 || string(body) != `{"data":[1,2,3]}` {
			t.Fatalf("got %d %q %v", status, body, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}

	// By hand: header names in odd case, a chunk extension, upper-case hex, a trailer.
	url, _ := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		for {
			if _, _, err := readRequest(br); err != nil {
				return
			}
			io.WriteString(nc, "HTTP/1.1 201 Created\r\ntransfer-ENCODING:  chunked \r\nX-A: b\r\n\r\n"+
				"5;ext=1\r\nhello\r\nB\r\n, world!!!!\r\n0\r\nX-Trailer: t\r\n\r\n")
		}
	})
	c = testConn(t, context.Background(), url)
	for range 2 {
		status, body, err := c.do("POST", "/y", nil, []byte("a=b"))
		if err != nil || status != 201 || string(body) != "hello, world!!!!" {
			t.Fatalf("raw chunked: got %d %q %v", status, body, err)
		}
	}
}

func TestConnConnectionCloseThenReconnects(t *testing.T) {
	t.Parallel()
	var reqs atomic.Int32
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if reqs.Add(1) == 1 {
			w.Header().Set("Connection", "close")
		}
		w.Write([]byte("ok"))
	})
	c := testConn(t, context.Background(), srv.URL)
	for i := range 3 {
		status, body, err := c.do("POST", "/z", nil, []byte("x"))
		if err != nil || status != 200 || string(body) != "ok" {
			t.Fatalf("request %d: %d %q %v", i, status, body, err)
		}
		if i == 0 && c.nc != nil {
			t.Error("connection kept after Connection: close")
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (a new one after the close, then kept)", n)
	}
}

func TestConnCloseDelimitedBody(t *testing.T) {
	t.Parallel()
	url, conns := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		if _, _, err := readRequest(br); err != nil {
			return
		}
		io.WriteString(nc, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
	})
	c := testConn(t, context.Background(), url)
	for range 2 {
		status, body, err := c.do("GET", "/", nil, nil)
		if err != nil || status != 200 || string(body) != "until the end" {
			t.Fatalf("got %d %q %v", status, body, err)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestConnNon200WithBodies(t *testing.T) {
	t.Parallel()
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/422":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(422)
			w.Write([]byte(`{"success":false,"code":"wallet_redeem_10"}`))
		case "/500":
			http.Error(w, "boom", 500)
		case "/204":
			w.WriteHeader(204)
		default:
			http.NotFound(w, r)
		}
	})
	c := testConn(t, context.Background(), srv.URL)
	for range 2 {
		for _, x := range []struct {
			path   string
			status int
			body   string
		}{{"/422", 422, `{"success":false,"code":"wallet_redeem_10"}`}, {"/500", 500, "boom\n"}, {"/204", 204, ""}, {"/nope", 404, "404 page not found\n"}} {
			status, body, err := c.do("POST", x.path, nil, []byte("a=1"))
			if err != nil || status != x.status || string(body) != x.body {
				t.Errorf("%s: got %d %q %v, want %d %q", x.path, status, body, err, x.status, x.body)
			}
		}
	}
	_, body, _ := c.do("POST", "/422", nil, nil)
	if got := kinds[1].judge(422, body); got != expected {
		t.Errorf("wallet_spend's judge: got %v, want expected", got)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// closingServer answers one request per connection, closes it, and then
// tells closed; it also counts the requests it read.
// wantCounts checks that the server accepted n connections and read n requests.
func wantCounts(t *testing.T, conns, reqs *atomic.Int32, n int32, when string) {
	t.Helper()
	if c, r := conns.Load(), reqs.Load(); c != n || r != n {
		t.Errorf("%s%d connections, %d requests read; want %d, %d", when, c, r, n, n)
	}
}

func closingServer(t *testing.T) (url string, conns, reqs *atomic.Int32, closed chan struct{}) {
	closed = make(chan struct{}, 10)
	reqs = new(atomic.Int32)
	url, conns = rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		if _, _, err := readRequest(br); err != nil {
			return
		}
		reqs.Add(1)
		io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		nc.Close()
		closed <- struct{}{}
	})
	return url, conns, reqs, closed
}

func TestConnServerClosesIdleConnection(t *testing.T) {
	t.Parallel()
	ok := func(t *testing.T, c *conn, method string) {
		t.Helper()
		var body []byte
		if method == "POST" {
			body = []byte("ticket=1")
		}
		status, resp, err := c.do(method, "/", nil, body)
		if err != nil || status != 200 || string(resp) != "ok" {
			t.Fatalf("%s: got %d %q %v", method, status, resp, err)
		}
	}

	t.Run("GET is sent again on a new connection", func(t *testing.T) {
		t.Parallel()
		url, conns, reqs, closed := closingServer(t)
		c := testConn(t, context.Background(), url)
		c.idleCheck = 0
		ok(t, c, "GET")
		<-closed
		ok(t, c, "GET")
		wantCounts(t, conns, reqs, 2, "")
	})

	t.Run("POST on the dead connection fails and is not sent again", func(t *testing.T) {
		t.Parallel()
		url, conns, reqs, closed := closingServer(t)
		c := testConn(t, context.Background(), url)
		c.idleCheck = 0
		ok(t, c, "POST")
		<-closed
		if status, body, err := c.do("POST", "/", nil, []byte("ticket=2")); err == nil {
			t.Fatalf("got %d %q, want an error", status, body)
		}
		wantCounts(t, conns, reqs, 1, "after the failed POST: ")
		ok(t, c, "POST") // the next request dials
		wantCounts(t, conns, reqs, 2, "")
	})

	t.Run("POST after the idle check goes on a new connection", func(t *testing.T) {
		t.Parallel()
		url, conns, reqs, closed := closingServer(t)
		c := testConn(t, context.Background(), url)
		c.idleCheck = time.Nanosecond
		ok(t, c, "POST")
		<-closed
		time.Sleep(10 * time.Millisecond) // let the server's FIN arrive
		ok(t, c, "POST")
		wantCounts(t, conns, reqs, 2, "")
	})
}

func TestConnIdleCheckKeepsAnOpenConnection(t *testing.T) {
	t.Parallel()
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	c := testConn(t, context.Background(), srv.URL)
	c.idleCheck = time.Nanosecond
	for range 3 {
		if status, _, err := c.do("POST", "/", nil, []byte("a")); err != nil || status != 200 {
			t.Fatalf("got %d %v", status, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func TestConnCancelUnblocksARequest(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	c := testConn(t, ctx, srv.URL)
	time.AfterFunc(50*time.Millisecond, cancel)
	t0 := time.Now()
	_, _, err := c.do("POST", "/slow", nil, []byte("a"))
	if !errors.Is(err, context.Canceled) || time.Since(t0) > 5*time.Second {
		t.Fatalf("got %v after %s, want context.Canceled soon", err, time.Since(t0))
	}
	if _, _, err := c.do("GET", "/", nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: got %v, want context.Canceled", err)
	}
}

// cannedServer answers every request with the same bytes, allocating
// nothing itself, so that allocation counts are the client's alone.
func cannedServer(t testing.TB) string {
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 51\r\n\r\n" +
		`{"success":true,"code":"new_sale_01","status":200}` + "\n")
	url, _ := rawServer(t, func(nc net.Conn, br *bufio.Reader) {
		for {
			n := 0
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				line = trimEOL(line)
				if len(line) == 0 {
					break
				}
				if i := bytes.IndexByte(line, ':'); i > 0 && foldEq(line[:i], "content-length") {
					n, _ = atoi(bytes.TrimSpace(line[i+1:]))
				}
			}
			if _, err := br.Discard(n); err != nil {
				return
			}
			if _, err := nc.Write(resp); err != nil {
				return
			}
		}
	})
	return url
}

var saleForm = []byte("wallet_key=wk_0123456789abcdef&phone=5500001234&transaction_type=0&transaction_amount=123.45&usertool_id=42&ticket=abcd-1-1")

func TestConnDoesNotAllocatePerRequest(t *testing.T) {
	// Not parallel: AllocsPerRun counts the whole process's allocations.
	c := testConn(t, context.Background(), cannedServer(t))
	hdr := renderHeader(formHeader("ak_0123456789"))
	do := func() {
		if status, body, err := c.do("POST", "/wallet/sale", hdr, saleForm); err != nil || status != 200 || len(body) != 51 {
			t.Fatalf("got %d %q %v", status, body, err)
		}
	}
	do() // dial and grow the buffers
	if n := testing.AllocsPerRun(200, do); n > 0 {
		t.Errorf("%.1f allocations per request, want 0", n)
	}
}

// saleServer is the httptest server of the benchmarks: it reads the form
// and answers like a wallet sale.
func saleServer(b *testing.B) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"success":true,"code":"new_sale_01","status":200}` + "\n"))
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// BenchmarkConnDo is a terminal's sale through conn. Against httptest the
// allocations include the server's; against the canned server they are the
// client's alone.
func BenchmarkConnDo(b *testing.B) {
	for _, s := range []struct {
		name string
		url  func(*testing.B) string
	}{{"httptest", saleServer}, {"canned", func(b *testing.B) string { return cannedServer(b) }}} {
		b.Run(s.name, func(b *testing.B) {
			c := testConn(b, context.Background(), s.url(b))
			hdr := renderHeader(formHeader("ak_0123456789"))
			b.ReportAllocs()
			for b.Loop() {
				if status, _, err := c.do("POST", "/wallet/sale", hdr, saleForm); err != nil || status != 200 {
					b.Fatal(status, err)
				}
			}
		})
	}
}

// BenchmarkClientDo is the same sale the way the terminals sent it before
// conn: net/http's client, a header map per request.
func BenchmarkClientDo(b *testing.B) {
	for _, s := range []struct {
		name string
		url  func(*testing.B) string
	}{{"httptest", saleServer}, {"canned", func(b *testing.B) string { return cannedServer(b) }}} {
		b.Run(s.name, func(b *testing.B) {
			c := newClient(s.url(b), 1, "")
			b.Cleanup(c.http.CloseIdleConnections)
			ctx := context.Background()
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				if status, _, err := c.do(ctx, "POST", "/wallet/sale", formHeader("ak_0123456789"), saleForm, &buf); err != nil || status != 200 {
					b.Fatal(status, err)
				}
			}
		})
	}
}
