package store

import "testing"

func TestTTLCacheDropsReadsThatAClearOvertook(t *testing.T) {
	var c ttlCache[string, int]
	_, ok, gen := c.get("k")
	if ok {
		t.Fatal("hit in an empty cache")
	}
	c.put("k", 1, gen)
	if v, ok, _ := c.get("k"); !ok || v != 1 {
		t.Fatalf("got %d, %v; want the value just put", v, ok)
	}

	// A read that began before a clear (a revocation committing while the
	// read ran) must not be cached after it.
	c.clear()
	_, _, gen = c.get("k")
	c.clear()
	c.put("k", 2, gen)
	if v, ok, _ := c.get("k"); ok {
		t.Fatalf("a value read before the clear was cached: %d", v)
	}
}
