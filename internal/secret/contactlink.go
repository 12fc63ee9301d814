package secret

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
)

// macLen is how much of the HMAC a customer link keeps: 128 bits cannot be
// guessed, and the link stays short enough for a text message.
const macLen = 16

// SignContact returns the customer-page token of one contact for one
// program (card or wallet key): the merchant and contact ids followed by an
// HMAC of both and the key, so a link opens only its own page.
func SignContact(secret []byte, merchantID, contactID int64, programKey string) string {
	buf := binary.AppendUvarint(nil, uint64(merchantID))
	buf = binary.AppendUvarint(buf, uint64(contactID))
	buf = append(buf, contactMAC(secret, buf, programKey)...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// VerifyContact checks a token from SignContact against programKey and
// returns the merchant and contact it names.
func VerifyContact(secret []byte, token, programKey string) (merchantID, contactID int64, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= macLen {
		return 0, 0, false
	}
	ids, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	m, n := binary.Uvarint(ids)
	if n <= 0 {
		return 0, 0, false
	}
	c, k := binary.Uvarint(ids[n:])
	if k <= 0 || n+k != len(ids) || m == 0 || c == 0 || m > 1<<62 || c > 1<<62 {
		return 0, 0, false
	}
	if !hmac.Equal(mac, contactMAC(secret, ids, programKey)) {
		return 0, 0, false
	}
	return int64(m), int64(c), true
}

func contactMAC(secret, ids []byte, programKey string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(ids)
	h.Write([]byte{0})
	h.Write([]byte(programKey))
	return h.Sum(nil)[:macLen]
}
