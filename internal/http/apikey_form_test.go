package http

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
)

// formViaParseQuery is how apikey form bodies were read before
// decodeURLEncodedForm: url.ParseQuery, then each field's first value.
func formViaParseQuery(body string) (apikeyForm, error) {
	vals, err := url.ParseQuery(body)
	if err != nil {
		return nil, errBodyUndecodable
	}
	return formFromValues(vals)
}

func checkFormLikeParseQuery(t *testing.T, body string) {
	t.Helper()
	want, wantErr := formViaParseQuery(body)
	got, err := decodeURLEncodedForm(body)
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) || !maps.Equal(got, want) {
		t.Fatalf("decodeURLEncodedForm(%q) = %q, %v; ParseQuery's way gives %q, %v", body, got, err, want, wantErr)
	}
}

func TestURLEncodedFormMatchesParseQuery(t *testing.T) {
	t.Parallel()
	bodies := []string{
		"", "&", "&&", "=", "a", "a=", "=b", "a=b", "a=1&a=2", "a=1&a=%zz", "a=%zz&a=1", "a=%ff", "a=1&a=%ff", "%ff=1",
		"a=%00", "a=1&a=%00", "a=+x+", "a=%20x%20&b=+", "a+b=c+d", "a%3Db=c%26d", "a=b=c", "a=1;b=2", "a=1&;", ";",
		"wallet_key=wk&phone=5500000001&transaction_type=0&transaction_amount=250.50&usertool_id=7&ticket=b1",
		"customer_name=Jos%C3%A9+%C3%91&phone=%2B52+55+1234+5678", "name=%E2%80%A8", "x=%", "x=%4", "x=%4g", "%=x",
		"a=1&&b=2&", "&a=1", "a=\xff", "\xff=a", "a=%C3", "a=%C3%28", "a=\t x \n", "a=%09x%0A", "a=<b>&c=&amp;",
		strings.Repeat("a=1&", maxQuickFormFields-1) + "b=2", strings.Repeat("a=1&", maxQuickFormFields) + "b=2",
		strings.Repeat("k=v&", 20000), strings.Repeat("&", 200) + "a=%zz",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"a", "b", "phone", "=", "&", "%", "%2", "%20", "%41", "%zz", "%00", "%ff", "%C3%A9", "%E2%80%A8", "+", ";",
		" ", "\t", "\xff", "é", "x"}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			sb.WriteString(parts[rng.IntN(len(parts))])
		}
		bodies = append(bodies, sb.String())
	}
	for _, body := range bodies {
		checkFormLikeParseQuery(t, body)
	}
}

func FuzzURLEncodedForm(f *testing.F) {
	for _, s := range []string{"a=1&a=2", "a=%zz&b", "a=1;b", "x=%00&y=%ff", "phone=+55+&wallet_key=k"} {
		f.Add(s)
	}
	f.Fuzz(checkFormLikeParseQuery)
}

// TestReadAtMostMatchesReadAll compares readAtMost with what it replaces,
// io.ReadAll(io.LimitReader(r, n)), for bodies shorter than, as long as
// and longer than both the limit and the announced length, read whole,
// byte by byte and failing.
func TestReadAtMostMatchesReadAll(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	readers := map[string]func(string) io.Reader{
		"whole":      func(s string) io.Reader { return strings.NewReader(s) },
		"one byte":   func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"half":       func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
		"data+EOF":   func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"then error": func(s string) io.Reader { return io.MultiReader(strings.NewReader(s), iotest.ErrReader(boom)) },
		"data+error": func(s string) io.Reader { return &dataErrReader{s: s, err: boom} },
	}
	for name, mk := range readers {
		for _, size := range []int{0, 1, 7, 100, 511, 512, 513, 1000, 4096} {
			body := strings.Repeat("x", size)
			for _, n := range []int64{1, 8, 100, 512, 513, 2000, 1 << 16} {
				for _, announced := range []int64{-1, 0, int64(size) - 1, int64(size), int64(size) + 1, n - 1, n, n + 5, 1 << 30} {
					want, wantErr := io.ReadAll(io.LimitReader(mk(body), n))
					got, err := readAtMost(mk(body), announced, n)
					if !bytes.Equal(got, want) || !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
						t.Fatalf("%s: %d bytes, limit %d, announced %d: got %d bytes, %v; ReadAll: %d bytes, %v",
							name, size, n, announced, len(got), err, len(want), wantErr)
					}
				}
			}
		}
	}
}

// dataErrReader returns its last bytes together with err.
type dataErrReader struct {
	s   string
	err error
}

func (r *dataErrReader) Read(p []byte) (int, error) {
	n := copy(p, r.s)
	r.s = r.s[n:]
	if r.s == "" {
		return n, r.err
	}
	return n, nil
}

// BenchmarkSaleForm compares decoding a sale's form body directly with
// url.ParseQuery + formFromValues, the way before.
func BenchmarkSaleForm(b *testing.B) {
	body := "wallet_key=wk_0123456789abcdef&phone=5500000042&transaction_type=0&transaction_amount=250.50&usertool_id=17&ticket=b123456"
	b.Run("parse_query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = formViaParseQuery(body)
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = decodeURLEncodedForm(body)
		}
	})
}
