// Package migrations embeds Logister's SQL migrations. They are applied in file-name order by
// bun/migrate (see server/internal/store); files ending in .tx.up.sql run inside one transaction.
package migrations

import "embed"

// FS holds every *.up.sql and *.down.sql file in this directory.
//
//go:embed *.sql
var FS embed.FS
