#!/bin/bash
# Records the classes the server loads to start on an initialised DATA_DIR and to serve a first
# round of SCIM requests, into src/main/cds/classlist: the build dumps them into the class data
# sharing archive target/scim-server.jsa (pom.xml, "class-data-sharing"). Run from the repository
# root after ./mvnw -q -DskipTests package, again whenever the classes a start loads change much;
# a class missing from the list still loads, from the jar.
set -euo pipefail
jar=target/scim-server.jar
work=$(mktemp -d)
# As root the server runs its embedded PostgreSQL as another user, which must reach DATA_DIR.
chmod 711 "$work"
port=18199
token=record-classlist
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
base=http://127.0.0.1:$port/api/scim/v2
scim() {
  curl -sf -o /dev/null -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
    ${3:+--data "$3"} "$base$2"
}
start() {
  DATA_DIR="$work/data" PORT=$port SCIM_ENABLED=true SCIM_HEADER_AUTH_TOKEN=$token \
    java -Xmx256m "$@" -jar "$jar" >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    scim GET /ServiceProviderConfig && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2
  echo "the server did not answer" >&2
  exit 1
}
stop() {
  kill "$pid"
  wait "$pid" || true
  pid=
}

start
stop
start -XX:DumpLoadedClassList="$work/classlist"
user='{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"cds@example.com","externalId":"cds-1",
"name":{"givenName":"Class","familyName":"List"},"emails":[{"value":"cds@example.com","type":"work","primary":true}],
"active":true}'
scim POST /Users "$user"
id=$(curl -sf -H "Authorization: Bearer $token" "$base/Users?filter=userName%20eq%20%22cds@example.com%22" \
  | sed -E 's/.*"Resources":\[\{"schemas":\[[^]]*\],"id":"([^"]+)".*/\1/')
scim GET "/Users/$id"
scim GET '/Users?startIndex=1&count=100'
scim PATCH "/Users/$id" '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}'
scim POST /Groups '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Class list"}'
scim GET '/Groups?filter=displayName%20eq%20%22Class%20list%22'
scim DELETE "/Users/$id"
stop
cp "$work/classlist" src/main/cds/classlist
echo "recorded $(wc -l <src/main/cds/classlist) classes into src/main/cds/classlist"
