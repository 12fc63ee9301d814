package ledger

import (
	"errors"
	"slices"
	"testing"
)

func TestStamp(t *testing.T) {
	card := AccountKey{Owner: Owner{Kind: OwnerCardMember, ID: 4}, Unit: Stamps}
	issued := SystemAccount(SystemIssued, Stamps)
	done := SystemAccount(SystemCompleted, Stamps)
	tests := []struct {
		name          string
		card          AccountKey
		current       Amount
		required      int
		want          []Posting
		wantCompleted bool
		err           error
	}{
		{"OK first stamp", card, 0, 10, []Posting{{issued, card, 100}}, false, nil},
		{"OK one short of completing", card, 800, 10, []Posting{{issued, card, 100}}, false, nil},
		{"OK completes the card", card, 900, 10, []Posting{{issued, card, 100}, {card, done, 1000}}, true, nil},
		{"OK one-stamp card completes on every sale", card, 0, 1, []Posting{{issued, card, 100}, {card, done, 100}}, true, nil},
		{"OK lowered setting completes on the next sale", card, 800, 5, []Posting{{issued, card, 100}, {card, done, 900}}, true, nil},
		{"ErrUnitMismatch", alicePts, 0, 10, nil, false, ErrUnitMismatch},
		{"ErrSystemOwner", issued, 0, 10, nil, false, ErrSystemOwner},
		{"ErrBadStampCount required zero", card, 0, 0, nil, false, ErrBadStampCount},
		{"ErrBadStampCount required huge", card, 0, maxStampsRequired + 1, nil, false, ErrBadStampCount},
		{"ErrBadStampCount negative", card, -100, 10, nil, false, ErrBadStampCount},
		{"ErrBadStampCount fractional stamp", card, 150, 10, nil, false, ErrBadStampCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, completed, err := Stamp(tt.card, tt.current, tt.required)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Stamp() error = %v, want %v", err, tt.err)
			}
			if completed != tt.wantCompleted || !slices.Equal(got, tt.want) {
				t.Errorf("Stamp() = %v, %v; want %v, %v", got, completed, tt.want, tt.wantCompleted)
			}
			if err == nil {
				if err := Validate(got); err != nil {
					t.Errorf("postings invalid: %v", err)
				}
				after := tt.current + Net(got)[tt.card]
				if completed && after != 0 || !completed && after != tt.current+OneStamp {
					t.Errorf("card holds %v after the sale", after)
				}
			}
		})
	}
}

func TestWholeStamps(t *testing.T) {
	if got := WholeStamps(700); got != 7 {
		t.Errorf("WholeStamps(700) = %d, want 7", got)
	}
}
