package ledger

// OneStamp is the Amount of one stamp: stamps are counted in hundredths like every unit, so a card with 3 stamps holds 300.
const OneStamp Amount = 100

// maxStampsRequired keeps required × OneStamp far inside an Amount.
const maxStampsRequired = int(MaxAmount / OneStamp)

// Stamp plans one stamp-card sale on the card member's Stamps account, which holds current: a stamp from SystemIssued, and, when the card reaches required stamps, the whole card to SystemCompleted.
//
// Completion moves the stamps out rather than leaving them, so the account
// balance is always "stamps on the current card" and a completion is visible
// in the ledger as its own posting; the caller counts completions (one per
// completed sale). The test is current+1 >= required rather than ==, so a card
// whose setting was lowered below its stamps still completes on the next sale.
// Errors: ErrUnitMismatch for a non-stamps account, ErrSystemOwner for a system
// one, ErrBadStampCount for required < 1 or a current that is negative or not
// whole stamps.
func Stamp(card AccountKey, current Amount, required int) (postings []Posting, completed bool, err error) {
	switch {
	case card.Unit != Stamps:
		return nil, false, ErrUnitMismatch
	case card.Owner.IsSystem():
		return nil, false, ErrSystemOwner
	case required < 1 || required > maxStampsRequired, current < 0, current%OneStamp != 0:
		return nil, false, ErrBadStampCount
	}
	postings = Credit(SystemAccount(SystemIssued, Stamps), card, OneStamp)
	after := current + OneStamp
	if after < Amount(required)*OneStamp {
		return postings, false, nil
	}
	return append(postings, Posting{From: card, To: SystemAccount(SystemCompleted, Stamps), Amount: after}), true, nil
}

// WholeStamps converts a Stamps balance to the count of stamps the APIs show (contact_current_redeem).
func WholeStamps(a Amount) int64 { return int64(a / OneStamp) }
