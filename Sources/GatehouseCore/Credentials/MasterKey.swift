import Crypto
import Foundation

/// The operator's `GATEHOUSE_MASTER_KEY`: 32 bytes, given as base64, that encrypt server secrets
/// at rest with AES-256-GCM (the secret-hash pepper now; signing keys later).
public struct MasterKey: Sendable {
    let key: SymmetricKey

    /// Parses the base64 text of exactly 32 bytes.
    public init(base64 text: String) throws {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              data.count == 32
        else {
            throw ValidationError(field: "GATEHOUSE_MASTER_KEY", message: "must be the base64 encoding of exactly 32 bytes")
        }
        self.key = SymmetricKey(data: data)
    }

    /// AES-GCM sealed box (nonce ‖ ciphertext ‖ tag) of `plaintext`.
    public func seal(_ plaintext: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key).combined else {
            throw CryptoKitError.incorrectParameterSize
        }
        return combined
    }

    /// Opens what ``seal(_:)`` produced; throws when the key is not the one that sealed it.
    public func open(_ sealed: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
    }
}
