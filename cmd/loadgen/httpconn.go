package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// conn is one terminal's own HTTP/1.1 keep-alive connection to the server
// under test. net/http's client costs, per request, a Request, a Response,
// header maps and a hand-off to the connection's read and write goroutines;
// on two cores shared with the server and Postgres, that CPU is taken from
// the server being measured. conn writes a request and reads its answer on
// the terminal's own goroutine into reused buffers: no goroutines and no
// allocations per request once the buffers have grown.
//
// It speaks only what the benchmark needs: http://, a request with its body
// in memory, and answers delimited by Content-Length, chunked encoding or
// the connection's close.
type conn struct {
	ctx  context.Context
	addr string // host:port to dial
	host string // the Host header
	// idleCheck: a connection idle for longer than this is checked for a
	// close by the server before it is reused (see alive); 0 never checks.
	idleCheck time.Duration

	nc      net.Conn // nil until dialled, and again after a close or an error
	stop    func() bool
	br      *bufio.Reader
	bw      *bufio.Writer
	lastUse time.Time
	body    []byte   // the last answer's body; reused, so valid until the next do
	num     [20]byte // room to format Content-Length without allocating
}

const (
	dialTimeout    = 5 * time.Second
	requestTimeout = 60 * time.Second
	maxBody        = 64 << 20 // a bigger answer is a bug, not something to buffer
)

// parseBase splits the client's base URL into the address to dial and the
// Host header; only plain http:// is spoken.
func parseBase(base string) (addr, host string, err error) {
	rest, ok := strings.CutPrefix(base, "http://")
	if !ok {
		return "", "", fmt.Errorf("loadgen: server URL %q: the terminals speak plain http:// only", base)
	}
	host, _, _ = strings.Cut(rest, "/")
	if host == "" {
		return "", "", fmt.Errorf("loadgen: server URL %q has no host", base)
	}
	addr = host
	if _, _, err := net.SplitHostPort(host); err != nil {
		addr = net.JoinHostPort(strings.Trim(host, "[]"), "80")
	}
	return addr, host, nil
}

// newConn returns a connection that dials on its first request; it is closed
// when ctx is cancelled.
func newConn(ctx context.Context, addr, host string) *conn {
	return &conn{ctx: ctx, addr: addr, host: host, idleCheck: time.Second}
}

// renderHeader turns header fields into the bytes of their lines, once, so
// that a request copies them instead of walking a map.
func renderHeader(h http.Header) []byte {
	var b strings.Builder
	_ = h.Write(&b)
	return []byte(b.String())
}

// do sends one request (hdr: rendered header lines, see renderHeader; body:
// nil for none) and returns the answer's status and body. The body is valid
// until the next call.
//
// A request on a reused connection that fails before any byte of the answer
// arrived most likely met a close by the server while the connection was
// idle. A GET or HEAD is then sent once more on a new connection; anything
// else (a sale) returns the error, because the server may have processed it
// and a second sale is not a retry. To make that case rare, a connection
// idle for longer than idleCheck is checked for a close before it is used.
func (c *conn) do(method, path string, hdr, body []byte) (int, []byte, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, nil, err
	}
	if c.nc != nil && c.idleCheck > 0 && time.Since(c.lastUse) > c.idleCheck && !c.alive() {
		c.close()
	}
	retry := method == "GET" || method == "HEAD"
	for {
		reused := c.nc != nil
		if !reused {
			if err := c.dial(); err != nil {
				return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
		}
		status, resp, began, err := c.roundTrip(method, path, hdr, body)
		if err == nil {
			return status, resp, nil
		}
		c.close() // its state is unknown: the next request starts afresh
		if cerr := c.ctx.Err(); cerr != nil {
			return 0, nil, cerr
		}
		if retry && reused && !began {
			retry = false
			continue
		}
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
}

func (c *conn) dial() error {
	d := net.Dialer{Timeout: dialTimeout}
	nc, err := d.DialContext(c.ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	// Closing the socket unblocks a read or write in progress: that is all
	// the cancellation a terminal needs.
	c.stop = context.AfterFunc(c.ctx, func() { nc.Close() })
	c.nc = nc
	if c.br == nil {
		c.br = bufio.NewReaderSize(nc, 4096)
		c.bw = bufio.NewWriterSize(nc, 4096)
	} else {
		c.br.Reset(nc)
		c.bw.Reset(nc)
	}
	return nil
}

// close drops the connection, if any; the next request dials a new one.
func (c *conn) close() {
	if c.nc == nil {
		return
	}
	c.stop()
	c.nc.Close()
	c.nc = nil
}

// alive reports whether an idle connection is still open: a close by the
// server has already arrived as an end of file, an open connection makes a
// short read time out. Only connections idle for a while pay the wait.
func (c *conn) alive() bool {
	if c.br.Buffered() > 0 {
		return false // bytes nobody asked for: the stream cannot be trusted
	}
	if err := c.nc.SetReadDeadline(time.Now().Add(time.Millisecond)); err != nil {
		return false
	}
	_, err := c.br.Peek(1)
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// roundTrip writes the request in one flush and reads the answer. began
// tells whether any byte of the answer had arrived when err happened.
func (c *conn) roundTrip(method, path string, hdr, body []byte) (status int, resp []byte, began bool, err error) {
	if err = c.nc.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		return 0, nil, false, err
	}
	w := c.bw
	w.WriteString(method)
	w.WriteByte(' ')
	w.WriteString(path)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(c.host)
	w.WriteString("\r\n")
	w.Write(hdr)
	if body != nil {
		w.WriteString("Content-Length: ")
		w.Write(strconv.AppendInt(c.num[:0], int64(len(body)), 10))
		w.WriteString("\r\n")
	}
	w.WriteString("\r\n")
	w.Write(body)
	if err = w.Flush(); err != nil {
		return 0, nil, false, err
	}

	var h head
	for {
		var line []byte
		line, err = c.br.ReadSlice('\n')
		if len(line) > 0 {
			began = true
		}
		if err != nil {
			return 0, nil, began, lineErr(err)
		}
		if status, h.close, err = parseStatusLine(line); err != nil {
			return 0, nil, true, err
		}
		if h, err = c.readHeader(h.close); err != nil {
			return 0, nil, true, err
		}
		// 1xx answers are interim (103 Early Hints, say): the real one follows.
		if status >= 200 {
			break
		}
		if status == 101 {
			return 0, nil, true, errors.New("unexpected 101 Switching Protocols")
		}
	}

	c.body = c.body[:0]
	switch {
	case method == "HEAD" || status == 204 || status == 304:
	case h.chunked:
		err = c.readChunked()
	case h.length >= 0:
		err = c.readN(h.length)
	default:
		h.close = true // no length: the body ends with the connection
		err = c.readToEOF()
	}
	if err != nil {
		return 0, nil, true, err
	}
	if h.close {
		c.close()
	} else {
		c.lastUse = time.Now()
	}
	return status, c.body, true, nil
}

// head is what the answer's header says about its body and the connection.
type head struct {
	length  int // -1: not given
	chunked bool
	close   bool
}

// parseStatusLine reads "HTTP/1.x NNN reason"; close is true for HTTP/1.0,
// whose connections end after the answer unless it says keep-alive.
func parseStatusLine(line []byte) (status int, close bool, err error) {
	line = trimEOL(line)
	if len(line) < 12 || string(line[:7]) != "HTTP/1." || line[8] != ' ' || (len(line) > 12 && line[12] != ' ') {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	for _, d := range line[9:12] {
		if d < '0' || d > '9' {
			return 0, false, fmt.Errorf("malformed status line %q", line)
		}
		status = status*10 + int(d-'0')
	}
	if status < 100 {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	return status, line[7] == '0', nil
}

// readHeader reads the header lines up to the blank line, keeping the
// three fields that frame the body and the connection (names compared
// without regard to case).
func (c *conn) readHeader(http10 bool) (head, error) {
	h := head{length: -1, close: http10}
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return h, lineErr(err)
		}
		line = trimEOL(line)
		if len(line) == 0 {
			return h, nil
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return h, fmt.Errorf("malformed header line %q", line)
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case foldEq(name, "content-length"):
			n, ok := atoi(value)
			if !ok || n > maxBody || (h.length >= 0 && h.length != n) {
				return h, fmt.Errorf("bad Content-Length %q", value)
			}
			h.length = n
		case foldEq(name, "transfer-encoding"):
			if !foldEq(value, "chunked") {
				return h, fmt.Errorf("unsupported Transfer-Encoding %q", value)
			}
			h.chunked = true
		case foldEq(name, "connection"):
			for len(value) > 0 {
				tok := value
				if i := bytes.IndexByte(value, ','); i >= 0 {
					tok, value = value[:i], value[i+1:]
				} else {
					value = nil
				}
				tok = bytes.TrimSpace(tok)
				if foldEq(tok, "close") {
					h.close = true
				} else if foldEq(tok, "keep-alive") && http10 {
					h.close = false
				}
			}
		}
	}
}

// readN appends exactly n bytes of body.
func (c *conn) readN(n int) error {
	if n > maxBody-len(c.body) {
		return fmt.Errorf("answer longer than %d bytes", maxBody)
	}
	m := len(c.body)
	c.body = slices.Grow(c.body, n)[:m+n]
	if _, err := io.ReadFull(c.br, c.body[m:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// readChunked appends the chunks' data and skips any trailer.
func (c *conn) readChunked() error {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return lineErr(err)
		}
		size := trimEOL(line)
		if i := bytes.IndexByte(size, ';'); i >= 0 {
			size = size[:i] // a chunk extension: nothing we need
		}
		size = bytes.TrimSpace(size)
		n := 0
		for _, d := range size {
			switch {
			case '0' <= d && d <= '9':
				d -= '0'
			case 'a' <= d && d <= 'f':
				d -= 'a' - 10
			case 'A' <= d && d <= 'F':
				d -= 'A' - 10
			default:
				return fmt.Errorf("bad chunk size %q", size)
			}
			if n = n<<4 | int(d); n > maxBody {
				return fmt.Errorf("bad chunk size %q", size)
			}
		}
		if len(size) == 0 {
			return fmt.Errorf("bad chunk size %q", size)
		}
		if n == 0 {
			break
		}
		if err := c.readN(n); err != nil {
			return err
		}
		crlf, err := c.br.ReadSlice('\n')
		if err != nil {
			return lineErr(err)
		}
		if len(trimEOL(crlf)) != 0 {
			return errors.New("chunk not followed by CRLF")
		}
	}
	for { // trailer fields, up to the blank line
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return lineErr(err)
		}
		if len(trimEOL(line)) == 0 {
			return nil
		}
	}
}

// readToEOF appends everything up to the connection's end.
func (c *conn) readToEOF() error {
	for {
		if len(c.body) >= maxBody {
			return fmt.Errorf("answer longer than %d bytes", maxBody)
		}
		c.body = slices.Grow(c.body, 4096)
		n, err := c.br.Read(c.body[len(c.body):cap(c.body)])
		c.body = c.body[:len(c.body)+n]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// lineErr names the two ways a line can fail that matter here.
func lineErr(err error) error {
	switch err {
	case bufio.ErrBufferFull:
		return errors.New("header line longer than 4096 bytes")
	case io.EOF:
		return io.ErrUnexpectedEOF
	}
	return err
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// foldEq reports whether b is the lower-case ASCII word lower, in any case.
func foldEq(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// atoi parses a non-negative decimal that fits an int.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	n := 0
	for _, d := range b {
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int(d-'0')
	}
	return n, true
}
