package http

import (
	"net/http"
	"time"
)

// NewHTTPServer is the net/http server that serves h on addr with the
// loyalty server's limits: a slow client cannot hold a connection open by
// trickling its headers or body, nor by not reading its answer. The load
// generator's floor (cmd/loadgen -floor) serves with the same limits, since
// each one costs net/http work per request.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
