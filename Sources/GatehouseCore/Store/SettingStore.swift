import Foundation

/// Server settings written once (e.g. the secret hasher's pepper).
public protocol SettingStore: Sendable {
    /// Stores `value` under `name` unless a value is already there; returns the stored value.
    func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data
}

extension SettingStore where Self: StoreWrapper {
    public func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data {
        try await base.insertSettingIfAbsent(name, value: value)
    }
}
