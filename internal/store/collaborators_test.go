package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func cashier(name, number, pin string) store.CollaboratorInput {
	return store.CollaboratorInput{Name: name, Number: number, Branch: "Centro", Type: store.Cashier, PIN: pin}
}

func TestCreateCollaborator(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	c, err := s.CreateCollaborator(ctx, a.ID, cashier("Ana", "55-1111-2222", "1234"))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || c.Number != "5511112222" || !c.Active() || c.CardScope != nil || !c.MayUseCard(99) {
		t.Fatalf("got %+v", c)
	}
	var pinHash string
	if err := s.Pool().QueryRow(ctx, "SELECT pin_hash FROM collaborators WHERE id = $1", c.ID).Scan(&pinHash); err != nil || pinHash == "1234" || len(pinHash) < 50 {
		t.Fatalf("PIN stored as %q", pinHash)
	}
	for _, tc := range []struct {
		name string
		in   store.CollaboratorInput
		want error
	}{
		{"ErrDuplicateName", cashier("ANA", "5533334444", "9999"), store.ErrDuplicateName},
		{"ErrDuplicatePIN", cashier("Beto", "5533334444", "1234"), store.ErrDuplicatePIN},
	} {
		_, err := s.CreateCollaborator(ctx, a.ID, tc.in)
		if !errors.Is(err, tc.want) || !errors.Is(err, store.ErrConflict) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Another merchant may reuse both the name and the PIN.
	if _, err := s.CreateCollaborator(ctx, b.ID, cashier("Ana", "5511112222", "1234")); err != nil {
		t.Fatalf("other merchant: %v", err)
	}
	// Archiving frees the name and the PIN.
	archived, err := s.ArchiveCollaboratorByNumber(ctx, a.ID, "5511112222")
	if err != nil || len(archived) != 1 || archived[0].Active() || archived[0].MayUseCard(1) {
		t.Fatalf("got %+v, %v", archived, err)
	}
	if _, err := s.CreateCollaborator(ctx, a.ID, cashier("Ana", "5511112222", "1234")); err != nil {
		t.Fatalf("after archive: %v", err)
	}
	list, err := s.Collaborators(ctx, a.ID)
	if err != nil || len(list) != 2 || list[0].Status != "archived" || list[1].Status != "active" {
		t.Fatalf("got %+v, %v", list, err)
	}
	if _, err := s.Collaborator(ctx, b.ID, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's collaborator: got %v", err)
	}
	if _, err := s.ArchiveCollaboratorByNumber(ctx, a.ID, "5599999999"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("archive unknown number: got %v", err)
	}
}

func TestCreateCollaboratorRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a := newMerchant(t, s, "A")
	ok := cashier("Ana", "5511112222", "1234")
	for _, tc := range []struct {
		name  string
		edit  func(*store.CollaboratorInput)
		field string
	}{
		{"BadType", func(in *store.CollaboratorInput) { in.Type = "jefe" }, "type"},
		{"EmptyName", func(in *store.CollaboratorInput) { in.Name = "" }, "name"},
		{"EmptyBranch", func(in *store.CollaboratorInput) { in.Branch = " " }, "branch"},
		{"BadNumber", func(in *store.CollaboratorInput) { in.Number = "55111" }, "number"},
		{"ShortPIN", func(in *store.CollaboratorInput) { in.PIN = "123" }, "pin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			_, err := s.CreateCollaborator(ctx, a.ID, in)
			wantField(t, err, tc.field)
		})
	}
	if _, err := s.CreateCollaborator(ctx, a.ID+1, ok); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v", err)
	}
}

func TestSetCollaboratorPermissions(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := newMerchant(t, s, "A"), newMerchant(t, s, "B")
	card, _ := s.CreateCard(ctx, a.ID, store.CardInput{Name: "C"})
	other, _ := s.CreateCard(ctx, a.ID, store.CardInput{Name: "D"})
	bCard, _ := s.CreateCard(ctx, b.ID, store.CardInput{Name: "E"})
	w, _ := s.CreateWallet(ctx, a.ID, store.WalletInput{Name: "W"})
	c, _ := s.CreateCollaborator(ctx, a.ID, cashier("Ana", "5511112222", "1234"))

	got, err := s.SetCollaboratorPermissions(ctx, a.ID, c.ID, &[]string{card.Key}, nil)
	if err != nil || !got.MayUseCard(card.ID) || got.MayUseCard(other.ID) || !got.MayUseWallet(w.ID) {
		t.Fatalf("got %+v, %v", got, err)
	}
	got, err = s.SetCollaboratorPermissions(ctx, a.ID, c.ID, nil, &[]string{})
	if err != nil || !got.MayUseCard(other.ID) || got.MayUseWallet(w.ID) {
		t.Fatalf("got %+v, %v", got, err)
	}
	_, err = s.SetCollaboratorPermissions(ctx, a.ID, c.ID, &[]string{bCard.Key}, nil)
	var missing *store.MissingError
	if !errors.As(err, &missing) || missing.What != "loyalty_key" || missing.Key != bCard.Key || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's card key: got %v", err)
	}
	if reread, _ := s.Collaborator(ctx, a.ID, c.ID); reread.CardScope != nil || len(reread.WalletScope) != 0 || reread.WalletScope == nil {
		t.Fatalf("a refused change wrote: %+v", reread)
	}
	if _, err := s.SetCollaboratorPermissions(ctx, b.ID, c.ID, nil, nil); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another merchant's collaborator: got %v", err)
	}
}
