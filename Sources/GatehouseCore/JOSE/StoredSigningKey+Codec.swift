import Foundation

extension StoredSigningKey {
    /// Stores `key`, sealing its private part under `masterKey` when there is one.
    public init(_ key: SigningKey, state: SigningKeyState, masterKey: MasterKey?, createdAt: Date) throws {
        let bytes = key.privateKeyBytes
        let encoded = try masterKey.map { "sealed:" + (try $0.seal(bytes)).base64EncodedString() } ?? "plain:" + bytes.base64EncodedString()
        self.init(kid: key.kid, algorithm: key.algorithm, state: state, privateKey: encoded, createdAt: createdAt, retireAfter: nil)
    }

    /// Why a stored key cannot be used.
    public enum Unusable: Error, CustomStringConvertible {
        case needsMasterKey(kid: String)
        case wrongMasterKey(kid: String)
        case corrupt(kid: String)
        case noActiveKey

        public var description: String {
            switch self {
            case .needsMasterKey(let kid): "signing key \(kid) is encrypted: set GATEHOUSE_MASTER_KEY"
            case .wrongMasterKey(let kid): "GATEHOUSE_MASTER_KEY does not decrypt signing key \(kid)"
            case .corrupt(let kid): "signing key \(kid) is corrupt"
            case .noActiveKey: "the database has signing keys but no active one; run `gatehouse keys rotate`"
            }
        }
    }

    /// The usable key; throws ``Unusable`` rather than ever substituting another key.
    public func signingKey(masterKey: MasterKey?) throws -> SigningKey {
        let bytes: Data
        if privateKey.hasPrefix("sealed:") {
            guard let masterKey else { throw Unusable.needsMasterKey(kid: kid) }
            guard let sealed = Data(base64Encoded: String(privateKey.dropFirst("sealed:".count))) else { throw Unusable.corrupt(kid: kid) }
            do { bytes = try masterKey.open(sealed) } catch { throw Unusable.wrongMasterKey(kid: kid) }
        } else if privateKey.hasPrefix("plain:"), let plain = Data(base64Encoded: String(privateKey.dropFirst("plain:".count))) {
            bytes = plain
        } else {
            throw Unusable.corrupt(kid: kid)
        }
        do { return try SigningKey(kid: kid, algorithm: algorithm, privateKeyBytes: bytes) } catch { throw Unusable.corrupt(kid: kid) }
    }
}
