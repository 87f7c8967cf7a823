import Foundation
import GatehouseCore

/// The beat a PostgreSQL change listener sends itself on the change channel, `beat <listener id>
/// <Unix ms sent>`, so that it knows how far its feed is complete (``ChangeFeedTrust``):
/// notifications arrive in commit order, so when its own beat comes back, every change committed
/// before the beat was sent has arrived too. Other listeners' beats are not changes and are
/// dropped.
struct ChangeFeedBeat: Sendable {
    let listener = UUID().uuidString

    enum Heard: Equatable {
        case change
        case ownBeat(sentAt: Date)
        case othersBeat
    }

    func payload(sentAt moment: Date) -> String {
        "beat \(listener) \(moment.epochMilliseconds)"
    }

    func heard(_ payload: String) -> Heard {
        guard payload.hasPrefix("beat ") else { return .change }
        let parts = payload.split(separator: " ")
        guard parts.count == 3, parts[1] == listener, let milliseconds = Int(parts[2]) else { return .othersBeat }
        return .ownBeat(sentAt: Date(epochMilliseconds: milliseconds))
    }
}
