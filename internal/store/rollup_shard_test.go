package store

import "testing"

func TestShardSetGivesTheLowestFreeShard(t *testing.T) {
	s := &shardSet{byPID: map[uint32]int16{}}
	for _, pid := range []uint32{101, 102, 103} {
		s.take(pid)
	}
	if a, b, c := s.of(101), s.of(102), s.of(103); a != 0 || b != 1 || c != 2 {
		t.Fatalf("shards %d %d %d, want 0 1 2", a, b, c)
	}
	s.give(102)
	s.take(104)
	if got := s.of(104); got != 1 {
		t.Fatalf("after a close the next connection got shard %d, want the freed 1", got)
	}
	if got := s.of(999); got != 999%16 {
		t.Fatalf("unknown connection: shard %d, want pid mod 16 = %d", got, 999%16)
	}
}
