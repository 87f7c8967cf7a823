#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The SQLite file holds the pepper and, without `GATEHOUSE_MASTER_KEY`, the signing keys in the
/// clear: whoever reads it can mint tokens (docs/secrets.md, "Threat model"). So the file is
/// created readable and writable by its owner only (0600); SQLite gives its `-wal` and `-shm`
/// files the main file's mode ("the same permissions as the database file", `unixOpen`'s
/// `findCreateFileMode`). A file that already exists keeps its mode, but a server that finds it,
/// or its `-wal`/`-shm`, open to the group or to others says so at start.
enum SQLiteFilePermissions {
    /// Owner read and write, nothing else.
    static let ownerOnly: mode_t = 0o600

    /// Creates `path` empty with mode 0600 when it does not exist (SQLite accepts an empty file
    /// as a new database), and warns about every file of the database that others may read.
    static func prepare(path: String, logger: Logger) {
        let created = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, ownerOnly)
        if created >= 0 {
            // The umask may have narrowed the mode, never widened it; set it exactly.
            _ = fchmod(created, ownerOnly)
            close(created)
        }
        for file in [path, path + "-wal", path + "-shm"] {
            guard let mode = mode(of: file), mode & 0o077 != 0 else { continue }
            logger.warning(
                "database file is readable or writable by other users; run chmod 600 on it (and its -wal and -shm files)",
                metadata: ["file": "\(file)", "mode": "\(String(mode & 0o777, radix: 8))"]
            )
        }
    }

    /// The permission bits of `path`, or `nil` when it does not exist.
    static func mode(of path: String) -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }
}
