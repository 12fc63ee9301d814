package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// client talks to the server under test through net/http for everything
// off the hot path: provisioning, admin calls, /metrics, the crash test. Its
// pool keeps a keep-alive connection per concurrent caller. The phases'
// terminals do not use it: each has a conn of its own (httpconn.go), which
// costs the shared CPU far less per request.
type client struct {
	base  string
	http  *http.Client
	admin string // ADMIN_TOKEN
}

func newClient(base string, conns int, adminToken string) *client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		MaxConnsPerHost:     conns + 16,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{base: strings.TrimRight(base, "/"), http: &http.Client{Transport: tr, Timeout: 60 * time.Second}, admin: adminToken}
}

// do sends one request and returns the status and the whole body; buf is
// reused between calls of one terminal to keep the generator's own
// allocations (and so its share of the CPU) small.
func (c *client) do(ctx context.Context, method, path string, header http.Header, body []byte, buf *bytes.Buffer) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, buf.Bytes(), nil
}

// adminJSON calls the admin API and decodes its answer into out.
func (c *client) adminJSON(ctx context.Context, method, path string, in, out any) error {
	return c.jsonCall(ctx, method, path, "Bearer "+c.admin, in, out)
}

func (c *client) jsonCall(ctx context.Context, method, path, auth string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	var buf bytes.Buffer
	status, resp, err := c.do(ctx, method, path, h, body, &buf)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if status/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, status, clip(resp))
	}
	if out != nil {
		if err := json.Unmarshal(resp, out); err != nil {
			return fmt.Errorf("%s %s: decoding %q: %w", method, path, clip(resp), err)
		}
	}
	return nil
}

// apiCode pulls the value of the first "code" key out of a JSON body
// without decoding it whole: the apikey API's outcome is in that key.
func apiCode(body []byte) string {
	i := bytes.Index(body, []byte(`"code"`))
	if i < 0 {
		return ""
	}
	rest := body[i+6:]
	j := bytes.IndexByte(rest, ':')
	if j < 0 {
		return ""
	}
	rest = bytes.TrimLeft(rest[j+1:], " \t\r\n")
	if len(rest) == 0 {
		return ""
	}
	if rest[0] != '"' {
		end := bytes.IndexAny(rest, ",}")
		if end < 0 {
			return string(rest)
		}
		return string(bytes.TrimSpace(rest[:end]))
	}
	end := bytes.IndexByte(rest[1:], '"')
	if end < 0 {
		return ""
	}
	return string(rest[1 : 1+end])
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}
