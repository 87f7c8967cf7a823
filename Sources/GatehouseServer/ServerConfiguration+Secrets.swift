import GatehouseCore
import GatehouseStore

extension ServerConfiguration {
    /// A PostgreSQL database is a server that other people reach and administer (its superusers,
    /// its backups, its replicas), so the pepper and the private signing keys are not written to it
    /// in the clear: a start there without `GATEHOUSE_MASTER_KEY` is refused, unless
    /// `--allow-plaintext-secrets` says the operator accepts that (docs/secrets.md, "Threat
    /// model"). The embedded SQLite file is the server's own, created 0600.
    func refusePlaintextSecretsOnSharedDatabase() throws {
        guard case .postgres = database, masterKey == nil, !allowPlaintextSecrets else { return }
        throw ValidationError(
            field: "GATEHOUSE_MASTER_KEY",
            message: "must be set on PostgreSQL (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), or start with --allow-plaintext-secrets to keep server secrets unencrypted"
        )
    }
}
