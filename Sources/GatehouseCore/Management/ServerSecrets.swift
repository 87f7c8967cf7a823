import Crypto
import Foundation

/// Loads (or, on first start, creates) the pepper under which generated secrets are hashed.
///
/// The pepper is 32 random bytes kept in the database's settings. With a master key it is stored
/// sealed under AES-256-GCM, so the database alone cannot test candidate secrets; a master key
/// that does not open it stops the server with a clear message instead of silently re-keying.
public enum ServerSecrets {
    static let pepperSetting = "secret_pepper"

    public enum Failure: Error, CustomStringConvertible {
        case masterKeyMismatch
        case sealedWithoutMasterKey
        case corrupt

        public var description: String {
            switch self {
            case .masterKeyMismatch: "GATEHOUSE_MASTER_KEY does not open this database's secrets (was another master key used?)"
            case .sealedWithoutMasterKey: "this database's secrets are encrypted: set GATEHOUSE_MASTER_KEY"
            case .corrupt: "the stored secret pepper is corrupt"
            }
        }
    }

    public static func hasher(store: any Store, masterKey: MasterKey?) async throws -> SecretHasher {
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let candidate = try masterKey.map { try Data("sealed:".utf8) + $0.seal(fresh) } ?? Data("plain:".utf8) + fresh
        let stored = try await store.insertSettingIfAbsent(pepperSetting, value: candidate)
        return SecretHasher(pepper: SymmetricKey(data: try pepper(from: stored, masterKey: masterKey)))
    }

    static func pepper(from stored: Data, masterKey: MasterKey?) throws -> Data {
        let sealedTag = Data("sealed:".utf8)
        let plainTag = Data("plain:".utf8)
        if stored.starts(with: sealedTag) {
            guard let masterKey else { throw Failure.sealedWithoutMasterKey }
            do { return try masterKey.open(stored.dropFirst(sealedTag.count)) } catch { throw Failure.masterKeyMismatch }
        }
        guard stored.starts(with: plainTag), stored.count == plainTag.count + 32 else { throw Failure.corrupt }
        return stored.dropFirst(plainTag.count)
    }
}
