package secret

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewIsRandomPrefixedAndHashed(t *testing.T) {
	t.Parallel()
	a, ha := New("pk_")
	b, hb := New("pk_")
	if a == b || bytes.Equal(ha, hb) {
		t.Fatalf("got the same credential twice: %q", a)
	}
	if !strings.HasPrefix(a, "pk_") || len(a) != len("pk_")+43 {
		t.Fatalf("got %q, want pk_ and 43 characters", a)
	}
	if !bytes.Equal(Hash(a), ha) {
		t.Fatalf("Hash(plain) differs from the hash New returned")
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b string
		want bool
	}{
		{"Same", "tok", "tok", true},
		{"Different", "tok", "tik", false},
		{"Prefix", "tok", "to", false},
		{"Empty", "", "tok", false},
	} {
		if got := Equal(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: Equal(%q, %q) = %v, want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	k := Key("lk_", 16)
	if !strings.HasPrefix(k, "lk_") || len(k) != 3+32 || k == Key("lk_", 16) {
		t.Fatalf("got %q, want lk_ and 32 fresh hex digits", k)
	}
}
