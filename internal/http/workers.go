package http

import "context"

// Workers returns the background jobs the server runs beside HTTP (expiry,
// webhook delivery); each returns when its context ends.
func (s *Server) Workers() []func(context.Context) {
	return nil
}
