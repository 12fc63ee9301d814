package http

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
)

// TestRequestLogAttrsLikeInfo: observe writes its request line with
// LogAttrs; the line must be the one the Info call with key-value pairs it
// replaced wrote, with either handler the server can be configured with.
func TestRequestLogAttrsLikeInfo(t *testing.T) {
	t.Parallel()
	noTime := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) },
	}
	type line struct {
		id, method, route, code string
		status, bytes           int
		merchant                int64
		ms                      float64
	}
	lines := []line{
		{"0123456789abcdef01234567", "POST", "/wallet/sale", "new_sale_01", 200, 118, 42, 1.234},
		{"till 7 \"x\" <&>", "GET", "unmatched", "", 404, 0, 0, 0},
		{"é\u2028", "PATCH", "/admin/v1/merchants/{id}", "auth_01", 599, 1 << 40, -1, 123456.789},
	}
	for name, mk := range handlers {
		for _, l := range lines {
			var old, now bytes.Buffer
			slog.New(mk(&old)).Info("request", "request_id", l.id, "method", l.method, "route", l.route, "status", l.status,
				"code", l.code, "merchant_id", l.merchant, "duration_ms", l.ms, "bytes", l.bytes)
			slog.New(mk(&now)).LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", l.id),
				slog.String("method", l.method), slog.String("route", l.route), slog.Int("status", l.status),
				slog.String("code", l.code), slog.Int64("merchant_id", l.merchant),
				slog.Float64("duration_ms", l.ms), slog.Int("bytes", l.bytes))
			if old.String() != now.String() {
				t.Fatalf("%s: LogAttrs wrote\n%s\nInfo wrote\n%s", name, now.String(), old.String())
			}
		}
	}
}
