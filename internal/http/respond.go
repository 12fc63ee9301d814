package http

import (
	"encoding/json"
	"net/http"
	"sync"
	"unicode/utf8"
)

// jsonContentType is the Content-Type value of every JSON answer, one
// shared slice so that setting it allocates nothing. Header values are
// replaced, never modified in place, and the slice's capacity is its length,
// so a later Header.Add copies it rather than writing into it.
var jsonContentType = []string{"application/json; charset=utf-8"}

// writeJSON encodes v with the given status. Encoding errors after the
// header is written can only be logged by the caller's middleware.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// jsonBuffers recycles the buffers of answers encoded by hand (see
// writeAPIKeyAnswer). A buffer is free again once Write returns, since an
// io.Writer must not keep the slice it is given.
var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledJSON bounds the buffers kept in jsonBuffers; a rare larger
// answer's buffer is left to the GC.
const maxPooledJSON = 64 << 10

// writeJSONBytes answers status with body, an encoded JSON value ending in
// a newline, in one Write as writeJSON does.
func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with SetEscapeHTML(false), the setting of writeJSON: `"` and `\`
// escaped, \b \f \n \r \t short, other control bytes as \u00XX, U+2028 and
// U+2029 as \u2028 and \u2029, each invalid UTF-8 byte as \ufffd, and
// everything else (<, >, & included) as is.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
