package store

import "context"

// SchemaCurrent reports whether the database has every embedded migration
// applied and none left dirty.
func (s *Store) SchemaCurrent(ctx context.Context) (bool, error) {
	latest, err := Latest()
	if err != nil {
		return false, err
	}
	var v int64
	var dirty bool
	err = s.pool.QueryRow(ctx, "SELECT version, dirty FROM schema_migrations LIMIT 1").Scan(&v, &dirty)
	if err != nil {
		return false, interpretError(err)
	}
	return uint(v) == latest && !dirty, nil
}
