// Package secret makes and compares the credentials the server hands out:
// apikeys, OAuth client secrets, third-party tokens, webhook secrets and
// program keys. Credentials are 32 random bytes behind a short readable
// prefix; only their SHA-256 is stored, because a slow hash buys nothing
// against 256-bit random values and would cost every request.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// Size is the number of random bytes in every credential.
const Size = 32

// New returns a fresh credential "<prefix><43 URL-safe base64 chars>" and its
// SHA-256, the only form the store keeps.
func New(prefix string) (plain string, hash []byte) {
	plain = prefix + base64.RawURLEncoding.EncodeToString(Bytes(Size))
	return plain, Hash(plain)
}

// Hash is the SHA-256 of a credential, the key the store looks it up by.
func Hash(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// Equal compares two credentials in time independent of where they differ.
func Equal(a, b string) bool {
	// Comparing hashes keeps the time independent of the lengths too.
	return subtle.ConstantTimeCompare(Hash(a), Hash(b)) == 1
}

// Key returns a public but unguessable identifier "<prefix><hex of n random
// bytes>", for program keys that travel in forms and URLs.
func Key(prefix string, n int) string {
	return prefix + hex.EncodeToString(Bytes(n))
}

// Bytes returns n bytes from the operating system's CSPRNG. crypto/rand
// never fails on supported platforms (it panics itself otherwise).
func Bytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
