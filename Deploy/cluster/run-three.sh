#!/bin/sh
# Three tocsind sharing one PostgreSQL database on this machine: what tocsind.service runs on
# three machines, to try before deploying. A throwaway PostgreSQL server in a temporary folder,
# three instances on 127.0.0.1 (ports 8081, 8082, 8083) with the sample Contacts/ and Runbooks/,
# and `tocsin listen` printing every page. Ctrl-C (or SIGTERM) stops them all and removes the folder.
#
#   make cluster            # builds, then runs this
#
# Ports can be moved: TOCSIN_CLUSTER_PORTS (the instances', "8081 8082 8083"), TOCSIN_CLUSTER_DATABASE_PORT,
# TOCSIN_CLUSTER_LISTEN_PORT (the receiver's); TOCSIN_BIN is the folder of the built binaries.
set -eu
ports=${TOCSIN_CLUSTER_PORTS:-8081 8082 8083}
database_port=${TOCSIN_CLUSTER_DATABASE_PORT:-55432}
listen_port=${TOCSIN_CLUSTER_LISTEN_PORT:-9099}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${TOCSIN_BIN:-$root/.build/debug}" && pwd)
work=$(mktemp -d /tmp/tocsin-cluster.XXXXXX)
postgres_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# PostgreSQL refuses to run as root: as root, its programs run as the postgres user.
as_postgres() {
    if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi
}

children=""
stop() {
    trap - INT TERM EXIT
    [ -n "$children" ] && kill $children 2>/dev/null || true
    wait 2>/dev/null || true
    as_postgres "$postgres_bin/pg_ctl" -D "$work/db" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop INT TERM EXIT

[ "$(id -u)" = 0 ] && chown postgres "$work"
as_postgres "$postgres_bin/initdb" -D "$work/db" -A trust -U postgres -E UTF8 >/dev/null
as_postgres "$postgres_bin/pg_ctl" -D "$work/db" -l "$work/db/server.log" -w start \
    -o "-p $database_port -k $work -c listen_addresses=127.0.0.1" >/dev/null
as_postgres "$postgres_bin/createdb" -h 127.0.0.1 -p "$database_port" -U postgres tocsin
echo "PostgreSQL on 127.0.0.1:$database_port, database tocsin"

"$bin/tocsin" listen --port "$listen_port" &
children="$children $!"

for port in $ports; do
    instance="$work/instance-$port"
    mkdir -p "$instance"
    cp -R "$root/Deploy" "$root/Contacts" "$root/Runbooks" "$instance/"
    # The same settings as the single daemon's, but the database and each instance's own port.
    sed -e "s|port: 8080|port: $port|" -e "s|http://127.0.0.1:8080|http://127.0.0.1:$port|" \
        -e "s|database: ../var/tocsin.sqlite|database: postgres://postgres@127.0.0.1:$database_port/tocsin|" \
        -e "s|127.0.0.1:9099|127.0.0.1:$listen_port|g" "$root/Deploy/tocsin.yaml" > "$instance/Deploy/tocsin.yaml"
    sed -i "s|127.0.0.1:9099|127.0.0.1:$listen_port|g" "$instance/Contacts/people.yaml"
    "$bin/tocsind" --config "$instance/Deploy/tocsin.yaml" > "$instance/tocsind.log" 2>&1 &
    children="$children $!"
    echo "tocsind on http://127.0.0.1:$port (log $instance/tocsind.log)"
done
echo "Send an alert to any of them; kill one and the others page on its deadlines. Ctrl-C stops all."
wait
