#!/bin/sh
# `make run` runs this inside cmd/devdb (which sets DATABASE_URL): it makes
# sure there is an admin token, creates the demo merchant on the first start
# (printing its credentials and curl lines), then replaces itself with the
# server so that SIGTERM reaches the server directly.
set -eu

if [ -z "${ADMIN_TOKEN:-}" ]; then
	if [ ! -s .data/admin-token ]; then
		mkdir -p .data
		(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > .data/admin-token)
		echo "Generated an admin token in .data/admin-token (mode 0600)."
	fi
	ADMIN_TOKEN=$(cat .data/admin-token)
	export ADMIN_TOKEN
	echo "ADMIN_TOKEN (from .data/admin-token): $ADMIN_TOKEN"
fi

./bin/server admin demo --if-empty --format text
echo
echo "Admin API: curl -H 'Authorization: Bearer <ADMIN_TOKEN>' ${PUBLIC_URL:-http://localhost:8080}/admin/v1/merchants"
echo
exec ./bin/server serve
