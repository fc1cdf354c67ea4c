#!/bin/sh
# store-create.sh: the data store: an SQLite file holding one message.
set -eu
path=$(ctx node properties path)
message=$(ctx node properties message)
mkdir -p "$(dirname "$path")"
python3 - "$path" "$message" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("create table if not exists greeting (text not null)")
db.execute("delete from greeting")
db.execute("insert into greeting values (?)", (sys.argv[2],))
db.commit()
PY
ctx instance runtime-properties path "$path"
ctx logger info "data store ready at $path"
