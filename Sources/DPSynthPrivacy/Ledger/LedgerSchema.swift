/// The ledger's SQL schema, versioned by `PRAGMA user_version`, and the migrations between versions.
///
/// A ledger is an audit record: a newer DPSynth must open an older file and keep every row. Each
/// migration takes the file one version up inside the opening transaction; a shipped migration is
/// never edited, only followed by a new one. An older DPSynth refuses a newer file rather than
/// misreading it.
enum LedgerSchema {
    /// `migrations[v]` takes a ledger at schema version v to v + 1 (version 0 is an empty file).
    static let migrations: [String] = [
        // 1: budgets and releases.
        """
        CREATE TABLE IF NOT EXISTS budgets (
            fingerprint TEXT PRIMARY KEY,
            epsilon REAL NOT NULL,
            delta REAL NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS releases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            fingerprint TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            label TEXT NOT NULL,
            sampling_probability REAL,
            noise_multiplier REAL,
            clipping_norm REAL,
            steps INTEGER,
            noise_secure INTEGER,
            delta REAL NOT NULL,
            schema_epsilon REAL NOT NULL,
            schema_delta REAL NOT NULL,
            event_json TEXT NOT NULL,
            rdp_orders BLOB NOT NULL,
            rdp_curve BLOB NOT NULL,
            epsilon_rdp REAL,
            epsilon_pld REAL);
        CREATE INDEX IF NOT EXISTS releases_by_dataset ON releases (fingerprint);
        """,
        // 2: reservations. A release row is 'settled' (every row of a version-1 ledger), 'reserved'
        // (a planned spend held by a running fit) or 'withdrawn' (a reservation a user declared
        // unused); the holder's process id, host and start let `ledger show` flag a reservation
        // whose process is gone.
        """
        ALTER TABLE releases ADD COLUMN state TEXT NOT NULL DEFAULT 'settled';
        ALTER TABLE releases ADD COLUMN reserved_at TEXT;
        ALTER TABLE releases ADD COLUMN withdrawn_at TEXT;
        ALTER TABLE releases ADD COLUMN holder_process_id INTEGER;
        ALTER TABLE releases ADD COLUMN holder_host TEXT;
        ALTER TABLE releases ADD COLUMN holder_process_start TEXT;
        """,
    ]

    /// The version this DPSynth writes.
    static var version: Int { migrations.count }

    /// The columns of a release row, apart from its id, in the order `BudgetLedger` binds them.
    static let releaseColumns = [
        "fingerprint", "recorded_at", "label", "sampling_probability", "noise_multiplier", "clipping_norm", "steps",
        "noise_secure", "delta", "schema_epsilon", "schema_delta", "event_json", "rdp_orders", "rdp_curve",
        "epsilon_rdp", "epsilon_pld", "state", "reserved_at", "withdrawn_at", "holder_process_id", "holder_host",
        "holder_process_start",
    ]

    /// The stored spellings of `LedgerRelease.Status`.
    enum State: String {
        case settled, reserved, withdrawn
    }
}
