package store_test

import (
	"context"
	"testing"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	m, err := store.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	latest, err := store.Latest()
	if err != nil {
		t.Fatal(err)
	}
	v, dirty, err := m.Version()
	if err != nil || dirty || v != latest {
		t.Fatalf("got version %d dirty=%v err=%v, want %d", v, dirty, err, latest)
	}
	for v > 0 {
		if err := m.Down(); err != nil {
			t.Fatalf("down from %d: %v", v, err)
		}
		if v, _, err = m.Version(); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := m.Version(); v != latest {
		t.Fatalf("got %d after up, want %d", v, latest)
	}
}

func TestPing(t *testing.T) {
	t.Parallel()
	s := store.New(testdb.Pool(t), nil)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
