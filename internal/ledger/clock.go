// Package ledger is the double-entry points ledger as plain Go.
package ledger

import "time"

// Clock tells the ledger what time it is, so that tests move time instead of sleeping.
type Clock interface{ Now() time.Time }

// SystemClock reads the machine's clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
