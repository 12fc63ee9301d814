package ledger

import "time"

// CheckTransfer rejects a transfer between the same holder (ErrSameCustomer) or involving a system account (ErrSystemOwner).
//
// Transfer runs it too; the store may call it before loading anything, since
// with no sender accounts Transfer cannot tell who the sender is.
func CheckTransfer(sender, receiver Owner) error {
	if sender.IsSystem() || receiver.IsSystem() {
		return ErrSystemOwner
	}
	if sender == receiver {
		return ErrSameCustomer
	}
	return nil
}

// Transfer moves amount from the sender's accounts (all of them, one unit) to receiver, FIFO, keeping each batch: points keep their expiry.
//
// Each consumed batch account posts to the receiver's account with the same
// BatchID, so a transfer never extends the life of points; the non-expiring
// account posts to the receiver's non-expiring account. The postings go
// straight from sender to receiver; TransferLegs splits them when the store
// records the two legs as two transactions. Errors are those of Spend, plus
// those of CheckTransfer.
func Transfer(senderAccounts []Account, receiver Owner, amount Amount, now time.Time) ([]Posting, error) {
	if !amount.Positive() {
		return nil, ErrBadAmount
	}
	if len(senderAccounts) > 0 {
		if err := CheckTransfer(senderAccounts[0].Key.Owner, receiver); err != nil {
			return nil, err
		}
	}
	return consume(senderAccounts, amount, now, func(from AccountKey) AccountKey {
		from.Owner = receiver // same unit, same batch: the expiry travels
		return from
	})
}

// TransferLegs splits direct transfer postings into a debit leg (sender → SystemTransfer) and a credit leg (SystemTransfer → receiver), each summing to zero on its own.
//
// The JSON API answers a transfer as two transactions ("from" and "to"); each
// must balance by itself and be reversible by itself, so the points pass
// through the batch-less SystemTransfer account, which nets to zero once both
// legs are posted. The receiver's batch is kept in the credit leg.
func TransferLegs(postings []Posting) (debit, credit []Posting) {
	for _, p := range postings {
		mid := SystemAccount(SystemTransfer, p.From.Unit)
		debit = append(debit, Posting{From: p.From, To: mid, Amount: p.Amount})
		credit = append(credit, Posting{From: mid, To: p.To, Amount: p.Amount})
	}
	return debit, credit
}
