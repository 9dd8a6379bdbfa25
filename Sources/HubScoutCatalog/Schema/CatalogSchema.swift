import GRDB

/// The catalog's schema history. Migrations are append-only and written in SQL, never through
/// app record types, so an old file always upgrades the same way.
///
/// Conventions: dates are REAL seconds since 1970 (UTC); JSON lists are TEXT; every child table
/// references `models.pk`, a stable integer key (FTS5 external content needs one: VACUUM may
/// renumber implicit rowids), while `models.id` is the case-insensitive unique repository id.
enum CatalogSchema {
    /// Migration names in order.
    static let migrationNames = ["v1", "v2", "v3", "v4"]

    /// The migrator; `fullText` says whether FTS5 works in this SQLite.
    static func migrator(fullText: Bool) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try v1(db, fullText: fullText) }
        migrator.registerMigration("v2") { db in try v2(db) }
        migrator.registerMigration("v3") { db in try v3(db) }
        migrator.registerMigration("v4") { db in try v4(db) }
        return migrator
    }

    /// v1: the tables and the full-text index.
    static func v1(_ db: Database, fullText: Bool) throws {
        try db.execute(sql: """
            CREATE TABLE models (
                pk            INTEGER PRIMARY KEY,
                id            TEXT NOT NULL UNIQUE COLLATE NOCASE,
                author        TEXT COLLATE NOCASE,
                pipeline_tag  TEXT,
                library_name  TEXT,
                license       TEXT,
                gated         TEXT CHECK (gated IN ('false', 'auto', 'manual')),
                private       INTEGER,
                downloads     INTEGER,
                likes         INTEGER,
                trending      REAL,
                created_at    REAL,
                last_modified REAL,
                sha           TEXT,
                tags          TEXT,
                summary       TEXT,
                first_seen    REAL NOT NULL,
                last_seen     REAL NOT NULL
            );
            -- No index on model_pk alone: writers delete tags by (tag, model_pk) from the old tags list,
            -- and models are never deleted in bulk, so the extra index would only slow ingest.
            CREATE TABLE model_tags (
                tag      TEXT NOT NULL,
                model_pk INTEGER NOT NULL REFERENCES models(pk) ON DELETE CASCADE,
                PRIMARY KEY (tag, model_pk)
            ) WITHOUT ROWID;
            CREATE TABLE model_cards (
                model_pk     INTEGER PRIMARY KEY REFERENCES models(pk) ON DELETE CASCADE,
                license      TEXT,
                base_models  TEXT,
                datasets     TEXT,
                languages    TEXT,
                eval_results TEXT,
                updated_at   REAL NOT NULL
            );
            CREATE TABLE model_configs (
                model_pk          INTEGER PRIMARY KEY REFERENCES models(pk) ON DELETE CASCADE,
                architecture      TEXT,
                model_type        TEXT,
                context_length    INTEGER,
                num_layers        INTEGER,
                hidden_size       INTEGER,
                num_heads         INTEGER,
                num_kv_heads      INTEGER,
                head_dim          INTEGER,
                vocab_size        INTEGER,
                dtype             TEXT,
                num_experts       INTEGER,
                experts_per_token INTEGER,
                config_json       TEXT,
                updated_at        REAL NOT NULL
            );
            CREATE TABLE model_parameters (
                model_pk   INTEGER PRIMARY KEY REFERENCES models(pk) ON DELETE CASCADE,
                total      INTEGER NOT NULL,
                active     INTEGER,
                source     TEXT NOT NULL,
                updated_at REAL NOT NULL
            );
            CREATE TABLE model_files (
                model_pk     INTEGER NOT NULL REFERENCES models(pk) ON DELETE CASCADE,
                revision     TEXT NOT NULL,
                path         TEXT NOT NULL,
                size         INTEGER,
                sha256       TEXT,
                format       TEXT,
                quantization TEXT,
                PRIMARY KEY (model_pk, revision, path)
            ) WITHOUT ROWID;
            CREATE TABLE memory_estimates (
                model_pk           INTEGER NOT NULL REFERENCES models(pk) ON DELETE CASCADE,
                precision          TEXT NOT NULL CHECK (precision IN ('fp16', 'int8', 'int4')),
                precision_rank     INTEGER NOT NULL,
                weights_bytes      INTEGER NOT NULL,
                kv_bytes_per_token INTEGER NOT NULL,
                overhead_bytes     INTEGER NOT NULL,
                default_context    INTEGER NOT NULL,
                PRIMARY KEY (model_pk, precision)
            ) WITHOUT ROWID;
            CREATE TABLE local_snapshots (
                model_pk     INTEGER NOT NULL REFERENCES models(pk) ON DELETE CASCADE,
                revision     TEXT NOT NULL,
                commit_sha   TEXT NOT NULL,
                path         TEXT NOT NULL,
                size_on_disk INTEGER NOT NULL,
                verified_at  REAL,
                recorded_at  REAL NOT NULL,
                PRIMARY KEY (model_pk, commit_sha, path)
            ) WITHOUT ROWID;
            CREATE TABLE sync_state (
                key        TEXT PRIMARY KEY,
                cursor     TEXT,
                updated_at REAL NOT NULL
            );
            """)
        if fullText { try createFullTextIndex(db) }
    }

    /// v2: indexes for the common searches (task/author/license filters with a sort), and a full-text
    /// update trigger that fires only when an indexed column changes (a sync that refreshes downloads
    /// no longer rewrites the FTS index).
    static func v2(_ db: Database) throws {
        if try db.tableExists("models_fts") { try narrowFullTextUpdateTrigger(db) }
        for index in SearchIndexSchema.indexes {
            try db.execute(sql: SearchIndexSchema.createIndexSQL(name: index.name, columns: index.columns, ifNotExists: false))
        }
    }

    /// v3: sha256 digests of local files, keyed by what identifies unchanged content (device, inode, size,
    /// modification time in ns), so the cross-tool inventory hashes each file once.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE file_hashes (
                device      INTEGER NOT NULL,
                inode       INTEGER NOT NULL,
                size        INTEGER NOT NULL,
                modified_ns INTEGER NOT NULL,
                sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
                hashed_at   REAL NOT NULL,
                PRIMARY KEY (device, inode, size, modified_ns)
            ) WITHOUT ROWID
            """)
    }

    /// v4: every model found on this machine by the last cross-tool scan (`ls --all`, `dedupe`), whichever tool holds it,
    /// and that scan's date and folders. Not keyed to `models`: most local models (Ollama tags, hand-made folders) have no
    /// Hub id. A scan replaces all rows at once; `local_scan` has one row once anything was ever scanned.
    static func v4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE local_models (
                pk              INTEGER PRIMARY KEY,
                tool            TEXT NOT NULL,
                name            TEXT NOT NULL,
                path            TEXT NOT NULL,
                repo            TEXT COLLATE NOCASE,
                revision        TEXT,
                format          TEXT NOT NULL,
                quantization    TEXT,
                size_bytes      INTEGER NOT NULL,
                sha256          TEXT,
                duplicate_group INTEGER,
                parameters      INTEGER,
                context_length  INTEGER,
                fits            INTEGER,
                fit_format      TEXT,
                fit_total_bytes INTEGER,
                fit_reason      TEXT,
                scanned_at      REAL NOT NULL
            );
            CREATE TABLE local_scan (
                id          INTEGER PRIMARY KEY CHECK (id = 1),
                scanned_at  REAL NOT NULL,
                roots       TEXT NOT NULL,
                model_count INTEGER NOT NULL
            );
            """)
    }

    /// Replaces GRDB's AFTER UPDATE synchronisation trigger (which fires on any column) by one limited to
    /// the indexed columns and to real changes. Same name, same statements, so GRDB's model still holds.
    static func narrowFullTextUpdateTrigger(_ db: Database) throws {
        try db.execute(sql: #"DROP TRIGGER IF EXISTS "__models_fts_au""#)
        try db.execute(sql: SearchIndexSchema.createTriggersSQL(ifNotExists: false)[2])
    }

    /// The FTS5 index over id, author, tags and summary, kept in sync with `models` by GRDB's triggers.
    static func createFullTextIndex(_ db: Database) throws {
        try db.create(virtualTable: "models_fts", options: .ifNotExists, using: FTS5()) { t in
            t.synchronize(withTable: "models")
            t.tokenizer = .porter(wrapping: .unicode61())
            // Prefix indexes for 3-5 characters: short family names ("phi", "qwen", "llama") would
            // otherwise merge the doclists of every token they start (4-5× slower at 1 M models).
            t.prefixes = [3, 4, 5]
            t.column("id")
            t.column("author")
            t.column("tags")
            t.column("summary")
        }
    }
}
