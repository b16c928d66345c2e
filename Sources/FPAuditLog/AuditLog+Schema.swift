import FPGraph
import Foundation
import GRDB

extension AuditLog {
    /// The named, forward-only migrations, in order. A log that has applied a
    /// migration this list lacks was written by a newer fpaudit and is refused.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-chain") { db in
            try db.execute(sql: chainSchema)
            var generator = SystemRandomNumberGenerator()
            let logID = TimeOrderedID(date: Date(), using: &generator).description
            try db.execute(
                sql: "INSERT INTO log_meta (key, value) VALUES ('log_id', ?), ('created_at', ?), ('schema', ?)",
                arguments: [logID, Timestamp.format(Date()), EntryRecord.currentSchema])
        }
        migrator.registerMigration("v1-append-only") { db in
            try db.execute(sql: appendOnlyTriggers)
        }
        migrator.registerMigration("v1-views") { db in
            try db.execute(sql: views)
        }
        return migrator
    }

    /// Names of the triggers that make the log append-only (checked by `log verify`).
    static let appendOnlyTriggerNames: [String] = {
        var names: [String] = []
        for table in ["entries", "entry_outputs", "entry_findings", "blobs", "log_meta"] {
            names += ["\(table)_no_update", "\(table)_no_delete"]
        }
        return names + ["log_head_forward_only", "log_head_no_delete"]
    }()

    private static let chainSchema = """
        CREATE TABLE log_meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE entries (
            seq                 INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
            id                  TEXT NOT NULL UNIQUE,
            timestamp           TEXT NOT NULL,
            run_id              TEXT NOT NULL,
            command             TEXT NOT NULL,
            pass                TEXT,
            module              TEXT,
            step                INTEGER,
            outcome             TEXT NOT NULL,
            verdict             TEXT NOT NULL,
            worst_bits_lost     REAL,
            original_path       TEXT NOT NULL,
            original_sha256     TEXT,
            original_canonical  TEXT,
            rewritten_path      TEXT NOT NULL,
            rewritten_sha256    TEXT,
            rewritten_canonical TEXT,
            policy_name         TEXT NOT NULL,
            policy_version      TEXT NOT NULL,
            policy_hash         TEXT NOT NULL,
            samples             INTEGER NOT NULL,
            seed                TEXT NOT NULL,
            tool_version        TEXT NOT NULL,
            user                TEXT,
            host                TEXT,
            git_commit          TEXT,
            git_branch          TEXT,
            record              TEXT NOT NULL,
            prev_hash           TEXT NOT NULL,
            hash                TEXT NOT NULL UNIQUE,
            signer              TEXT,
            signature           TEXT
        );
        CREATE INDEX entries_by_timestamp ON entries (timestamp);
        CREATE INDEX entries_by_pass ON entries (pass);
        CREATE INDEX entries_by_verdict ON entries (verdict);
        CREATE INDEX entries_by_run ON entries (run_id);

        CREATE TABLE entry_outputs (
            seq                    INTEGER NOT NULL REFERENCES entries (seq),
            position               INTEGER NOT NULL,
            name                   TEXT NOT NULL,
            dtype                  TEXT NOT NULL,
            shape                  TEXT NOT NULL,
            bits_lost_max          REAL,
            bits_lost_mean         REAL,
            worse_share            REAL,
            new_nonfinite          INTEGER NOT NULL,
            semantic_max_ulps      REAL,
            original_bits_max      REAL,
            original_bits_mean     REAL,
            rewritten_bits_max     REAL,
            rewritten_bits_mean    REAL,
            rewritten_bits_p99     REAL,
            original_ulps_max      REAL,
            rewritten_ulps_max     REAL,
            rewritten_relative_max REAL,
            rewritten_nonfinite    INTEGER NOT NULL,
            PRIMARY KEY (seq, position)
        ) WITHOUT ROWID;
        CREATE INDEX entry_outputs_by_name ON entry_outputs (name);

        CREATE TABLE entry_findings (
            seq       INTEGER NOT NULL REFERENCES entries (seq),
            position  INTEGER NOT NULL,
            rule      TEXT NOT NULL,
            severity  TEXT NOT NULL,
            output    TEXT,
            message   TEXT NOT NULL,
            value     REAL,
            threshold REAL,
            waiver    TEXT,
            PRIMARY KEY (seq, position)
        ) WITHOUT ROWID;

        CREATE TABLE blobs (
            hash        TEXT NOT NULL,
            kind        TEXT NOT NULL,
            size        INTEGER NOT NULL,
            compression TEXT NOT NULL,
            data        BLOB NOT NULL,
            PRIMARY KEY (hash, kind)
        ) WITHOUT ROWID;

        CREATE TABLE log_head (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            seq       INTEGER NOT NULL,
            hash      TEXT NOT NULL
        );
        """

    private static var appendOnlyTriggers: String {
        var sql = ""
        for table in ["entries", "entry_outputs", "entry_findings", "blobs", "log_meta"] {
            sql += """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, 'fpaudit audit log: \(table) is append-only (no UPDATE)'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, 'fpaudit audit log: \(table) is append-only (no DELETE)'); END;

                """
        }
        sql += """
            CREATE TRIGGER log_head_forward_only BEFORE UPDATE ON log_head WHEN NEW.seq <= OLD.seq
            BEGIN SELECT RAISE(ABORT, 'fpaudit audit log: the head only moves forward'); END;
            CREATE TRIGGER log_head_no_delete BEFORE DELETE ON log_head
            BEGIN SELECT RAISE(ABORT, 'fpaudit audit log: the head cannot be deleted'); END;
            """
        return sql
    }

    private static let views = """
        CREATE VIEW v_entries AS
            SELECT seq, id, timestamp, command, pass, module, step, verdict, worst_bits_lost,
                   substr(original_canonical, 1, 12) AS original, substr(rewritten_canonical, 1, 12) AS rewritten,
                   original_path, rewritten_path, policy_name, policy_version, samples, seed, user, host,
                   git_commit, git_branch, run_id
            FROM entries;

        CREATE VIEW v_outputs AS
            SELECT e.seq, e.id, e.timestamp, e.command, e.pass, e.module, e.verdict, e.rewritten_path,
                   o.name AS output, o.dtype, o.shape, o.bits_lost_max, o.bits_lost_mean, o.worse_share,
                   o.new_nonfinite, o.semantic_max_ulps, o.original_bits_max, o.rewritten_bits_max,
                   o.rewritten_bits_mean, o.rewritten_bits_p99, o.original_ulps_max, o.rewritten_ulps_max,
                   o.rewritten_relative_max, o.rewritten_nonfinite
            FROM entry_outputs o JOIN entries e USING (seq);

        CREATE VIEW v_findings AS
            SELECT e.seq, e.id, e.timestamp, e.pass, e.module, e.verdict, f.rule, f.severity, f.output,
                   f.value, f.threshold, f.waiver, f.message
            FROM entry_findings f JOIN entries e USING (seq);

        CREATE VIEW v_pass_stats AS
            SELECT pass, COUNT(*) AS runs,
                   SUM(verdict = 'fail') AS failures, SUM(verdict = 'warn') AS warnings,
                   SUM(verdict = 'error') AS errors, SUM(verdict = 'unchanged') AS unchanged,
                   MAX(worst_bits_lost) AS worst_bits_lost, MAX(timestamp) AS last_run
            FROM entries GROUP BY pass;
        """
}
