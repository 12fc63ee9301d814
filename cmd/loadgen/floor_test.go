package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
)

// The floor server answers a terminal's lookup form like the real endpoint
// does in size, and refuses a form without a phone.
func TestFloorHandler(t *testing.T) {
	srv := httptest.NewServer(floorHandler())
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	c := newConn(context.Background(), addr, addr)
	defer c.close()
	hdr := renderHeader(formHeader("k"))

	status, body, err := c.do("POST", "/wallet/contact/get", hdr, []byte("wallet_key=k&phone=5500000001"))
	if err != nil || status != 200 || string(body) != floorAnswer {
		t.Fatalf("lookup: %d %q %v", status, body, err)
	}
	status, _, err = c.do("POST", "/wallet/contact/get", hdr, []byte("wallet_key=k"))
	if err != nil || status != 400 {
		t.Fatalf("no phone: %d %v", status, err)
	}
}
