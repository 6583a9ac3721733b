/// The ledger's schema and its forward migrations.
///
/// The version lives in `PRAGMA user_version`; migration `n` (1-based) takes a file from version `n-1`
/// to `n` inside one transaction together with the version bump, so a crash mid-migration leaves the
/// previous version intact. An empty file is version 0. Migrations are append-only: never edit one
/// that has shipped, add the next.
enum Schema {
    static let migrations: [String] = [
        // v1: one row per finished request. Times are Unix milliseconds (UTC).
        """
        CREATE TABLE requests (
            seq INTEGER PRIMARY KEY,
            time_ms INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            agent TEXT NOT NULL,
            peer_uid INTEGER,
            peer_pid INTEGER,
            provider TEXT,
            model TEXT,
            outcome TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            usage_reported INTEGER NOT NULL,
            cost_usd REAL,
            ttft_ms INTEGER,
            latency_ms INTEGER NOT NULL,
            metadata TEXT
        );
        CREATE INDEX requests_time ON requests(time_ms);
        """,
        // v2: the failover attempt count, and an index for per-agent budget seeding and filters.
        """
        ALTER TABLE requests ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX requests_agent_time ON requests(agent, time_ms);
        """,
        // v3: the 1-hour part of cache_write_tokens (0 on older rows: their writes are counted as 5-minute
        // writes), and the part of output_tokens spent reasoning (NULL when not reported).
        """
        ALTER TABLE requests ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN reasoning_tokens INTEGER;
        """,
        // v4: server-side web searches (0 on older rows), and the tier that served the request (NULL when
        // not reported).
        """
        ALTER TABLE requests ADD COLUMN web_search_requests INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE requests ADD COLUMN service_tier TEXT;
        """,
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings `db` from its current version up to `target`. Throws `SQLiteError` from SQLite, or
    /// `SchemaVersionError` when the file is newer than this build.
    static func migrate(_ db: SQLiteDatabase, to target: Int = currentVersion) throws -> Int {
        let found = try db.integer("PRAGMA user_version")
        if found > currentVersion { throw SchemaVersionError(found: found) }
        guard found < target else { return found }
        for version in (found + 1)...target {
            try db.execute("BEGIN IMMEDIATE")
            do {
                try db.execute(migrations[version - 1])
                try db.execute("PRAGMA user_version = \(version)")
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
        return target
    }
}

/// The file's `user_version` is beyond the migrations this build knows.
struct SchemaVersionError: Error {
    var found: Int
}
