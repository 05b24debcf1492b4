// Package schema is the journal's database schema, step by step, for each backend: SQLite's
// (PRAGMA user_version counts the steps applied) and PostgreSQL's (its schema_version table).
// Each step runs in one transaction with its version; a released step is never edited.
package schema

// SQLite builds the journal's schema step by step. migrations[i] takes a database from
// version i to i+1 (PRAGMA user_version). Each runs in one transaction together with the
// version bump, so a crash mid-migration leaves the old version intact. Never edit a released
// step: add a new one.
var SQLite = []string{
	// 1: orders and every JOS write about them.
	`
CREATE TABLE orders (
	order_id      TEXT PRIMARY KEY,
	type          TEXT NOT NULL DEFAULT '',
	state         TEXT NOT NULL CHECK (state IN ('printing', 'printed', 'shipping', 'shipped', 'failed')),
	failed_step   TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	retryable     INTEGER NOT NULL DEFAULT 0,
	logistics     TEXT NOT NULL DEFAULT '', -- JOS form: 2100|4700
	waybills      TEXT NOT NULL DEFAULT '', -- JOS form: w1,w2|w3
	packages      INTEGER NOT NULL DEFAULT 0,
	trade_no      TEXT NOT NULL DEFAULT '',
	trade_no_used INTEGER NOT NULL DEFAULT 0, -- JD answered "trade_no exists": draw a new one next time
	ship_attempts INTEGER NOT NULL DEFAULT 0,
	lease_owner   TEXT NOT NULL DEFAULT '',
	lease_expires INTEGER NOT NULL DEFAULT 0, -- unix ms
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	shipped_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX orders_state ON orders (state, updated_at);
CREATE INDEX orders_updated ON orders (updated_at);
CREATE INDEX orders_shipped ON orders (shipped_at);

CREATE TABLE attempts (
	id         INTEGER PRIMARY KEY,
	order_id   TEXT NOT NULL REFERENCES orders (order_id),
	kind       TEXT NOT NULL CHECK (kind IN ('outstorage', 'waybill_update', 'reconcile')),
	method     TEXT NOT NULL,
	trade_no   TEXT NOT NULL DEFAULT '',
	logistics  TEXT NOT NULL DEFAULT '',
	waybills   TEXT NOT NULL DEFAULT '',
	packages   INTEGER NOT NULL DEFAULT 0,
	started_at INTEGER NOT NULL,
	ended_at   INTEGER NOT NULL DEFAULT 0,
	outcome    TEXT NOT NULL DEFAULT 'pending',
	code       TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempts_order ON attempts (order_id, id);

CREATE TABLE waybills (
	order_id     TEXT NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
	logistics_id TEXT NOT NULL,
	waybill      TEXT NOT NULL,
	PRIMARY KEY (order_id, logistics_id, waybill)
);
CREATE INDEX waybills_waybill ON waybills (waybill);
`,
	// 2: prints, so that a resumed batch knows which labels came out.
	`
CREATE TABLE prints (
	id         INTEGER PRIMARY KEY,
	order_id   TEXT NOT NULL REFERENCES orders (order_id),
	type       TEXT NOT NULL DEFAULT '',
	pages      INTEGER NOT NULL DEFAULT 0,
	copies     INTEGER NOT NULL DEFAULT 0,
	printer    TEXT NOT NULL DEFAULT '',
	started_at INTEGER NOT NULL,
	ended_at   INTEGER NOT NULL DEFAULT 0,
	outcome    TEXT NOT NULL DEFAULT 'started' CHECK (outcome IN ('started', 'printed', 'failed')),
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX prints_order ON prints (order_id, id);
CREATE INDEX prints_ended ON prints (outcome, ended_at);
ALTER TABLE orders ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN printer TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN print_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN printed_at INTEGER NOT NULL DEFAULT 0;
`,
	// 3: who holds a lease, so that a crashed station's claim can be taken over at once instead
	// of waiting for it to expire.
	`
ALTER TABLE orders ADD COLUMN lease_host TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN lease_pid INTEGER NOT NULL DEFAULT 0;
`,
	// 4: what a print went to, typed: a printer (spec in printer) or a batch's PDF file (its
	// path in printer). Version 3 marked PDF files with a "pdf-file:" prefix.
	`
ALTER TABLE prints ADD COLUMN target TEXT NOT NULL DEFAULT 'printer' CHECK (target IN ('printer', 'pdf-file'));
UPDATE prints SET target = 'pdf-file', printer = substr(printer, 10) WHERE printer LIKE 'pdf-file:%';
`,
	// 5: which process is printing, so that a print under way in another window is told from
	// one a crash left unfinished.
	`
ALTER TABLE prints ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE prints ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
`,
	// 6: pack verification: each order's check (and its weighing), and every item scan of it, so
	// that a restarted station resumes the count and the shift can be counted.
	`
CREATE TABLE packs (
	order_id     TEXT PRIMARY KEY,
	state        TEXT NOT NULL CHECK (state IN ('checking', 'complete', 'skipped', 'aside')),
	reason       TEXT NOT NULL DEFAULT '',
	weight_g     INTEGER NOT NULL DEFAULT 0,
	expected_g   INTEGER NOT NULL DEFAULT 0,
	tolerance_g  INTEGER NOT NULL DEFAULT 0,
	weight_check TEXT NOT NULL DEFAULT '',
	started_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX packs_updated ON packs (updated_at);
CREATE TABLE pack_scans (
	id       INTEGER PRIMARY KEY,
	order_id TEXT NOT NULL REFERENCES packs (order_id),
	code     TEXT NOT NULL DEFAULT '',
	line     TEXT NOT NULL DEFAULT '',
	n        INTEGER NOT NULL DEFAULT 0,
	outcome  TEXT NOT NULL,
	at       INTEGER NOT NULL
);
CREATE INDEX pack_scans_order ON pack_scans (order_id, id);
CREATE INDEX pack_scans_at ON pack_scans (at);
`,
	// 7: who did it (the station and the packer) on every print, attempt and check, and the
	// batch claims that split a wave of orders between the stations of one journal.
	`
ALTER TABLE orders ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE prints ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE prints ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE packs ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE packs ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE pack_scans ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE pack_scans ADD COLUMN packer TEXT NOT NULL DEFAULT '';
CREATE INDEX orders_station ON orders (station, updated_at);
CREATE INDEX orders_packer ON orders (packer, updated_at);
CREATE INDEX prints_station ON prints (station, ended_at);
CREATE INDEX attempts_ended ON attempts (kind, outcome, ended_at);

CREATE TABLE batch_claims (
	order_id   TEXT PRIMARY KEY,
	station    TEXT NOT NULL,
	claimed_at INTEGER NOT NULL,
	expires    INTEGER NOT NULL
);
CREATE INDEX batch_claims_station ON batch_claims (station);
`,
	// 8: delete requests (jingdong.order.orderDelete.apply).
	`
CREATE TABLE delete_requests (
	order_id   TEXT PRIMARY KEY,
	reason     INTEGER NOT NULL,
	text       TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL CHECK (state IN ('sending', 'pending', 'cancelled', 'refused')),
	note       TEXT NOT NULL DEFAULT '',
	station    TEXT NOT NULL DEFAULT '',
	packer     TEXT NOT NULL DEFAULT '',
	asked_at   INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX delete_requests_state ON delete_requests (state, updated_at);
`,
	// 9: the returns desk: after-sales applications, exactly once, and returned parcels.
	`
CREATE TABLE afs_applies (
	order_id   TEXT NOT NULL,
	apply_type INTEGER NOT NULL,
	expect     INTEGER NOT NULL,
	question   TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL CHECK (state IN ('sending', 'created', 'refused')),
	case_id    BIGINT NOT NULL DEFAULT 0,
	known      TEXT NOT NULL DEFAULT '', -- the order's cases of this type before it was sent: 1,2,3
	note       TEXT NOT NULL DEFAULT '',
	holder     TEXT NOT NULL DEFAULT '',
	held_until BIGINT NOT NULL DEFAULT 0,
	station    TEXT NOT NULL DEFAULT '',
	packer     TEXT NOT NULL DEFAULT '',
	asked_at   BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (order_id, apply_type)
);

CREATE TABLE returns (
	id         INTEGER PRIMARY KEY,
	order_id   TEXT NOT NULL,
	case_id    BIGINT NOT NULL DEFAULT 0,
	waybill    TEXT NOT NULL DEFAULT '',
	cond       TEXT NOT NULL CHECK (cond IN ('good', 'damaged', 'missing')),
	note       TEXT NOT NULL DEFAULT '',
	station    TEXT NOT NULL DEFAULT '',
	packer     TEXT NOT NULL DEFAULT '',
	at         BIGINT NOT NULL
);
CREATE INDEX returns_order ON returns (order_id, id);
CREATE INDEX returns_at ON returns (at);
CREATE INDEX returns_waybill ON returns (waybill);
`,
}

// Postgres builds the schema of a warehouse's PostgreSQL journal (version in the
// schema_version table). Its version 1 is the SQLite schema of version 6, with times in unix
// ms and flags in integers as there, so that one set of statements serves both; tx_marks lets
// a station whose COMMIT reply was lost find out whether it was applied.
var Postgres = []string{
	`
CREATE TABLE orders (
	order_id      TEXT PRIMARY KEY,
	type          TEXT NOT NULL DEFAULT '',
	state         TEXT NOT NULL CHECK (state IN ('printing', 'printed', 'shipping', 'shipped', 'failed')),
	failed_step   TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	retryable     INTEGER NOT NULL DEFAULT 0,
	logistics     TEXT NOT NULL DEFAULT '',
	waybills      TEXT NOT NULL DEFAULT '',
	packages      INTEGER NOT NULL DEFAULT 0,
	trade_no      TEXT NOT NULL DEFAULT '',
	trade_no_used INTEGER NOT NULL DEFAULT 0,
	ship_attempts INTEGER NOT NULL DEFAULT 0,
	lease_owner   TEXT NOT NULL DEFAULT '',
	lease_expires BIGINT NOT NULL DEFAULT 0,
	lease_host    TEXT NOT NULL DEFAULT '',
	lease_pid     INTEGER NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	shipped_at    BIGINT NOT NULL DEFAULT 0,
	pages         INTEGER NOT NULL DEFAULT 0,
	printer       TEXT NOT NULL DEFAULT '',
	print_count   INTEGER NOT NULL DEFAULT 0,
	printed_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX orders_state ON orders (state, updated_at);
CREATE INDEX orders_updated ON orders (updated_at);
CREATE INDEX orders_shipped ON orders (shipped_at);

CREATE TABLE attempts (
	id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	order_id   TEXT NOT NULL REFERENCES orders (order_id),
	kind       TEXT NOT NULL CHECK (kind IN ('outstorage', 'waybill_update', 'reconcile')),
	method     TEXT NOT NULL,
	trade_no   TEXT NOT NULL DEFAULT '',
	logistics  TEXT NOT NULL DEFAULT '',
	waybills   TEXT NOT NULL DEFAULT '',
	packages   INTEGER NOT NULL DEFAULT 0,
	started_at BIGINT NOT NULL,
	ended_at   BIGINT NOT NULL DEFAULT 0,
	outcome    TEXT NOT NULL DEFAULT 'pending',
	code       TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempts_order ON attempts (order_id, id);

CREATE TABLE waybills (
	order_id     TEXT NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
	logistics_id TEXT NOT NULL,
	waybill      TEXT NOT NULL,
	PRIMARY KEY (order_id, logistics_id, waybill)
);
CREATE INDEX waybills_waybill ON waybills (waybill);

CREATE TABLE prints (
	id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	order_id   TEXT NOT NULL REFERENCES orders (order_id),
	type       TEXT NOT NULL DEFAULT '',
	pages      INTEGER NOT NULL DEFAULT 0,
	copies     INTEGER NOT NULL DEFAULT 0,
	printer    TEXT NOT NULL DEFAULT '',
	started_at BIGINT NOT NULL,
	ended_at   BIGINT NOT NULL DEFAULT 0,
	outcome    TEXT NOT NULL DEFAULT 'started' CHECK (outcome IN ('started', 'printed', 'failed')),
	reason     TEXT NOT NULL DEFAULT '',
	target     TEXT NOT NULL DEFAULT 'printer' CHECK (target IN ('printer', 'pdf-file')),
	host       TEXT NOT NULL DEFAULT '',
	pid        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX prints_order ON prints (order_id, id);
CREATE INDEX prints_ended ON prints (outcome, ended_at);

CREATE TABLE packs (
	order_id     TEXT PRIMARY KEY,
	state        TEXT NOT NULL CHECK (state IN ('checking', 'complete', 'skipped', 'aside')),
	reason       TEXT NOT NULL DEFAULT '',
	weight_g     INTEGER NOT NULL DEFAULT 0,
	expected_g   INTEGER NOT NULL DEFAULT 0,
	tolerance_g  INTEGER NOT NULL DEFAULT 0,
	weight_check TEXT NOT NULL DEFAULT '',
	started_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE INDEX packs_updated ON packs (updated_at);
CREATE TABLE pack_scans (
	id       BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	order_id TEXT NOT NULL REFERENCES packs (order_id),
	code     TEXT NOT NULL DEFAULT '',
	line     TEXT NOT NULL DEFAULT '',
	n        INTEGER NOT NULL DEFAULT 0,
	outcome  TEXT NOT NULL,
	at       BIGINT NOT NULL
);
CREATE INDEX pack_scans_order ON pack_scans (order_id, id);
CREATE INDEX pack_scans_at ON pack_scans (at);

CREATE TABLE tx_marks (
	mark TEXT PRIMARY KEY,
	at   BIGINT NOT NULL
);
CREATE INDEX tx_marks_at ON tx_marks (at);
`,
	// 2: who did it, and batch claims (SQLite's 7).
	`
ALTER TABLE orders ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE prints ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE prints ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE packs ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE packs ADD COLUMN packer TEXT NOT NULL DEFAULT '';
ALTER TABLE pack_scans ADD COLUMN station TEXT NOT NULL DEFAULT '';
ALTER TABLE pack_scans ADD COLUMN packer TEXT NOT NULL DEFAULT '';
CREATE INDEX orders_station ON orders (station, updated_at);
CREATE INDEX orders_packer ON orders (packer, updated_at);
CREATE INDEX prints_station ON prints (station, ended_at);
CREATE INDEX attempts_ended ON attempts (kind, outcome, ended_at);

CREATE TABLE batch_claims (
	order_id   TEXT PRIMARY KEY,
	station    TEXT NOT NULL,
	claimed_at BIGINT NOT NULL,
	expires    BIGINT NOT NULL
);
CREATE INDEX batch_claims_station ON batch_claims (station);
`,
	// 3: delete requests (SQLite's 8).
	`
CREATE TABLE delete_requests (
	order_id   TEXT PRIMARY KEY,
	reason     INTEGER NOT NULL,
	text       TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL CHECK (state IN ('sending', 'pending', 'cancelled', 'refused')),
	note       TEXT NOT NULL DEFAULT '',
	station    TEXT NOT NULL DEFAULT '',
	packer     TEXT NOT NULL DEFAULT '',
	asked_at   BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX delete_requests_state ON delete_requests (state, updated_at);
`,
	// 4: the returns desk (SQLite's 9).
	`
CREATE TABLE afs_applies (
	order_id   TEXT NOT NULL,
	apply_type INTEGER NOT NULL,
	expect     INTEGER NOT NULL,
	question   TEXT NOT NULL DEFAULT '',
	state      TEXT NOT NULL CHECK (state IN ('sending', 'created', 'refused')),
	case_id    BIGINT NOT NULL DEFAULT 0,
	known      TEXT NOT NULL DEFAULT '', -- the order's cases of this type before it was sent: 1,2,3
	note       TEXT NOT NULL DEFAULT '',
	holder     TEXT NOT NULL DEFAULT '',
	held_until BIGINT NOT NULL DEFAULT 0,
	station    TEXT NOT NULL DEFAULT '',
	packer     TEXT NOT NULL DEFAULT '',
	asked_at   BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (order_id, apply_type)
);

CREATE TABLE returns (
	id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	order_id   TEXT NOT NULL,
	case_id    BIGINT NOT NULL DEFAULT 0,
	waybill    TEXT NOT NULL DEFAULT '',
	cond       TEXT NOT NULL CHECK (cond IN ('good', 'damaged', 'missing')),
	note       TEXT NOT NULL DEFAULT '',
	station    TEXT NOT NULL DEFAULT '',
	packer     TEXT NOT NULL DEFAULT '',
	at         BIGINT NOT NULL
);
CREATE INDEX returns_order ON returns (order_id, id);
CREATE INDEX returns_at ON returns (at);
CREATE INDEX returns_waybill ON returns (waybill);
`,
}
