package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestCreateMerchant(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	m, err := s.CreateMerchant(ctx, "Café Uno", "")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || m.Name != "Café Uno" || m.Timezone != store.DefaultTimezone || m.Settings.MessagingChannel != "log" {
		t.Fatalf("got %+v, want the defaults", m)
	}
	got, err := s.Merchant(ctx, m.ID)
	if err != nil || got.Name != m.Name || got.Location().String() != store.DefaultTimezone {
		t.Fatalf("got %+v, %v", got, err)
	}
	m2, err := s.CreateMerchant(ctx, "Dos", "Europe/Madrid")
	if err != nil || m2.Timezone != "Europe/Madrid" {
		t.Fatalf("got %+v, %v", m2, err)
	}
	all, err := s.Merchants(ctx)
	if err != nil || len(all) != 2 || all[0].ID != m.ID {
		t.Fatalf("got %d merchants, %v; want 2 oldest first", len(all), err)
	}
	if _, err := s.Merchant(ctx, m2.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v, want ErrNotFound", err)
	}
}

func TestCreateMerchantRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	for _, tc := range []struct {
		name, merchant, tz, field string
	}{
		{"EmptyName", " ", "", "name"},
		{"UnknownZone", "A", "Mars/Olympus", "timezone"},
		{"LocalIsNoZone", "A", "Local", "timezone"},
	} {
		_, err := s.CreateMerchant(context.Background(), tc.merchant, tc.tz)
		wantField(t, err, tc.field)
	}
}

func TestUpdateMerchant(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	m := newMerchant(t, s, "A")
	got, err := s.UpdateMerchant(ctx, m.ID, store.MerchantPatch{
		ContactQuota:            store.Some(ptr(int64(100))),
		MessageCredit:           store.Some(ptr(int64(0))),
		AllowedLadas:            store.Some([]string{"55", "33", "55"}),
		LandlinePrefixes:        store.Some([]string{"5555"}),
		AllowNegativeOnReversal: store.Some(true),
		MessagingChannel:        store.Some("http"),
		MessagingURL:            store.Some("https://sms.example/send"),
	})
	if err != nil {
		t.Fatal(err)
	}
	st := got.Settings
	if *st.ContactQuota != 100 || st.OperationQuota != nil || *st.MessageCredit != 0 || len(st.AllowedLadas) != 2 ||
		!st.AllowNegativeOnReversal || st.MessagingChannel != "http" {
		t.Fatalf("got settings %+v", st)
	}
	// A later patch leaves the unnamed fields alone and null clears a quota.
	got, err = s.UpdateMerchant(ctx, m.ID, store.MerchantPatch{ContactQuota: store.Some[*int64](nil)})
	if err != nil || got.Settings.ContactQuota != nil || got.Settings.MessagingURL != "https://sms.example/send" {
		t.Fatalf("got %+v, %v", got.Settings, err)
	}
	reread, _ := s.Merchant(ctx, m.ID)
	if reread.Settings.ContactQuota != nil || len(reread.Settings.LandlinePrefixes) != 1 {
		t.Fatalf("stored %+v", reread.Settings)
	}
}

func TestUpdateMerchantRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	m := newMerchant(t, s, "A")
	for _, tc := range []struct {
		name  string
		patch store.MerchantPatch
		field string
	}{
		{"NegativeQuota", store.MerchantPatch{OperationQuota: store.Some(ptr(int64(-1)))}, "operation_quota"},
		{"LadaStartsWith1", store.MerchantPatch{AllowedLadas: store.Some([]string{"15"})}, "allowed_ladas"},
		{"PrefixNotDigits", store.MerchantPatch{LandlinePrefixes: store.Some([]string{"55a"})}, "landline_prefixes"},
		{"UnknownChannel", store.MerchantPatch{MessagingChannel: store.Some("sms")}, "messaging.channel"},
		{"HTTPWithoutURL", store.MerchantPatch{MessagingChannel: store.Some("http")}, "messaging.url"},
		{"BadURL", store.MerchantPatch{MessagingURL: store.Some("ftp://x")}, "messaging.url"},
		{"BadZone", store.MerchantPatch{Timezone: store.Some("Nowhere")}, "timezone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.UpdateMerchant(ctx, m.ID, tc.patch)
			wantField(t, err, tc.field)
		})
	}
	if got, _ := s.Merchant(ctx, m.ID); got.Settings.MessagingChannel != "log" || len(got.Settings.AllowedLadas) != 0 {
		t.Fatalf("a refused patch wrote: %+v", got.Settings)
	}
	if _, err := s.UpdateMerchant(ctx, m.ID+1, store.MerchantPatch{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v", err)
	}
}

// The merchant's time zone is cached; a change through the store is seen at once.
func TestMerchantZoneFollowsUpdate(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	m, err := s.CreateMerchant(ctx, "Zona", "America/Mexico_City")
	if err != nil {
		t.Fatal(err)
	}
	if loc, err := s.MerchantZone(ctx, m.ID); err != nil || loc.String() != "America/Mexico_City" {
		t.Fatalf("got %v, %v", loc, err)
	}
	if _, err := s.UpdateMerchant(ctx, m.ID, store.MerchantPatch{Timezone: store.Some("Europe/Madrid")}); err != nil {
		t.Fatal(err)
	}
	if loc, err := s.MerchantZone(ctx, m.ID); err != nil || loc.String() != "Europe/Madrid" {
		t.Fatalf("after the update: got %v, %v; want Europe/Madrid at once", loc, err)
	}
	if _, err := s.MerchantZone(ctx, m.ID+1000); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown merchant: got %v, want ErrNotFound", err)
	}
}
