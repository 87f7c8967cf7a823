import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseStore
import Logging
import SQLiteKit

/// `gatehouse-bench seed`: fills a server's SQLite database with one organisation, N
/// applications and M API keys (the "100,000 applications, 1,000,000 API keys" scenario), and
/// writes a random sample of the keys' plaintext for load tests.
///
/// Keys are hashed with the server's own pepper (`ServerSecrets`), so they verify at `/v1/check`.
/// Rows go in through a separate connection as multi-row `INSERT`s, 250,000 per transaction by
/// default, without audit events: the managers would cost one audited transaction per row.
/// Stop the server while seeding (or restart it afterwards).
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bulk-load applications and API keys into a Gatehouse SQLite database; write sampled keys."
    )

    @Option(help: "The server's SQLite file (PATH or sqlite:///PATH), created by `gatehouse serve` beforehand.")
    var database: String
    @Option(help: "Applications to create.") var applications: Int = 100_000
    @Option(help: "API keys to create, spread evenly over the applications.") var keys: Int = 1_000_000
    @Option(help: "Organisation to put them in; created if missing.") var organisation: String = "bench"
    @Option(help: "How many keys, chosen at random, to write to --sample-out.") var sample: Int = 10_000
    @Option(help: "File for the sampled plaintext keys, one per line.") var sampleOut: String
    @Option(help: "How many keys to write to --sample-out-small.") var sampleSmall: Int = 1_000
    @Option(help: "File for a second, smaller sample (chosen independently).") var sampleOutSmall: String?
    @Option(help: "Rows generated at a time (while the previous batch is written).") var batch: Int = 10_000
    @Option(help: "Rows per transaction.") var transaction: Int = 250_000

    func validate() throws {
        guard applications >= 1 else { throw ArgumentParser.ValidationError("--applications must be at least 1") }
        guard keys >= 0, batch >= 1, transaction >= 1 else {
            throw ArgumentParser.ValidationError("--keys must be >= 0, --batch and --transaction >= 1")
        }
        guard (0...keys).contains(sample) else { throw ArgumentParser.ValidationError("--sample must be between 0 and --keys") }
        guard sampleOutSmall == nil || (0...keys).contains(sampleSmall) else {
            throw ArgumentParser.ValidationError("--sample-small must be between 0 and --keys")
        }
    }

    func run() async throws {
        let start = ContinuousClock.now
        var logger = Logger(label: "gatehouse-bench")
        logger.logLevel = .error
        let path = try sqlitePath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw BenchFailure("\(path) does not exist: start `gatehouse serve --database sqlite://\(path)` once to create it")
        }
        let url = DatabaseURL.sqlite(path: path)
        let masterKey = try ProcessInfo.processInfo.environment["GATEHOUSE_MASTER_KEY"].map(MasterKey.init(base64:))

        // The real store once: migrations, the server's pepper, the organisation.
        let database = try await Database.open(url, logger: logger)
        let hasher: SecretHasher
        let owner: Organisation
        do {
            hasher = try await ServerSecrets.hasher(store: database.store, masterKey: masterKey)
            owner = try await findOrCreateOrganisation(in: database.store)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()

        var inserter = try await BulkInserter.open(path: path, rowsPerTransaction: transaction, logger: logger)
        let sampled = KeySample.choose(sample, from: keys)
        let smallSampled = sampleOutSmall == nil ? [] : KeySample.choose(sampleSmall, from: keys)
        let kept: [Int: String]
        do {
            try await checkQuota(of: owner, with: inserter)
            let rows = SeedRows(organisationId: owner.id, hasher: hasher, applications: applications, keys: keys, now: Date())
            let applicationIds = try await insertApplications(rows, with: &inserter, since: start)
            kept = try await insertKeys(rows, applicationIds: applicationIds, keep: sampled.union(smallSampled), with: &inserter, since: start)
        } catch {
            try? await inserter.close()
            throw error
        }
        try await inserter.close()
        report("checkpointed", since: start)

        try KeySample.write(sampled, keys: kept, to: sampleOut)
        if let sampleOutSmall { try KeySample.write(smallSampled, keys: kept, to: sampleOutSmall) }
        if let probe = kept.values.first {
            try await SeedCheck.verify(key: probe, in: url, masterKey: masterKey, logger: logger)
        } else {
            print("check skipped: no key was sampled")
        }
        let size = Self.fileSize(path) + Self.fileSize(path + "-wal")
        report(
            "done: \(applications) applications, \(keys) API keys in organisation '\(owner.name)'; database \(size / 1_000_000) MB",
            since: start
        )
    }

    private func sqlitePath() throws -> String {
        if database.hasPrefix("sqlite://"), case .sqlite(let path) = try DatabaseURL(database) { return path }
        guard !database.contains("://") else { throw BenchFailure("seed writes SQLite files only (got \(database))") }
        return database
    }

    private func findOrCreateOrganisation(in store: SQLStore) async throws -> Organisation {
        if let existing = try await store.organisation(name: organisation) { return existing }
        let actor = AuditActor(name: "gatehouse-bench", ip: nil)
        return try await OrganisationManager(store: store).create(OrganisationInput(name: organisation), by: actor, now: Date())
    }

    /// The store refuses applications beyond an organisation's limit; so does the generator.
    private func checkQuota(of owner: Organisation, with inserter: BulkInserter) async throws {
        guard let limit = owner.maxApplications else { return }
        let existing = try await inserter.integer("SELECT COUNT(*) FROM applications WHERE organisation_id = ?", [.text(owner.id)])
        guard existing + applications <= limit else {
            throw BenchFailure("organisation '\(owner.name)' may hold \(limit) applications and has \(existing)")
        }
    }

    private func insertApplications(
        _ rows: SeedRows, with inserter: inout BulkInserter, since start: ContinuousClock.Instant
    ) async throws -> [String] {
        var ids: [String] = []
        ids.reserveCapacity(applications)
        try await load(applications, into: "applications", columns: SeedRows.applicationColumns, with: &inserter) { range in
            rows.applications(range)
        } written: { made in
            ids += made.ids
        }
        report("applications: \(applications)", since: start)
        return ids
    }

    private func insertKeys(
        _ rows: SeedRows, applicationIds: [String], keep: Set<Int>, with inserter: inout BulkInserter,
        since start: ContinuousClock.Instant
    ) async throws -> [Int: String] {
        var kept: [Int: String] = [:]
        var written = 0
        try await load(keys, into: "api_keys", columns: SeedRows.apiKeyColumns, with: &inserter) { range in
            rows.apiKeys(range, applicationIds: applicationIds, keep: keep)
        } written: { made in
            for (index, key) in made.kept { kept[index] = key }
            written += made.rows.count
            if written % 100_000 < made.rows.count || written == keys { report("api_keys: \(written)/\(keys)", since: start) }
        }
        return kept
    }

    /// Inserts `count` generated rows into `table`, `--batch` at a time: while one batch is
    /// written, the next is made on every core.
    private func load(
        _ count: Int, into table: String, columns: [String], with inserter: inout BulkInserter,
        make: @escaping @Sendable (Range<Int>) -> RowBatch, written: (RowBatch) -> Void
    ) async throws {
        let ranges = stride(from: 0, to: count, by: batch).map { $0..<min($0 + batch, count) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let start = { @Sendable (range: Range<Int>) in Task.detached { await RowBatch.inParallel(range, parts: cores, make) } }
        var next = ranges.first.map(start)
        for position in ranges.indices {
            guard let made = await next?.value else { break }
            next = position + 1 < ranges.count ? start(ranges[position + 1]) : nil
            try await inserter.insert(into: table, columns: columns, rows: made.rows)
            written(made)
        }
        try await inserter.commit()
    }

    private func report(_ message: String, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock().now - start
        print(String(format: "[%7.1f s] ", elapsed.inSeconds) + message)
        flushOutput()
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
