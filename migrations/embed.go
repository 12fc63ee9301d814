// Package migrations embeds the numbered SQL migrations so that the server
// binary carries its own schema. Files are NNNN_name.up.sql / .down.sql pairs
// applied in order by golang-migrate.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
