import Foundation

/// Which generated keys keep their plaintext, and the files they are written to.
enum KeySample {
    /// `count` distinct indices chosen uniformly from `0..<total` (Floyd's algorithm: `count`
    /// random draws, no matter how close `count` is to `total`).
    static func choose(_ count: Int, from total: Int) -> Set<Int> {
        precondition(count <= total)
        var chosen = Set<Int>(minimumCapacity: count)
        for upper in (total - count)..<total {
            let candidate = Int.random(in: 0...upper)
            chosen.insert(chosen.contains(candidate) ? upper : candidate)
        }
        return chosen
    }

    /// Writes the keys of `indices`, in random order, one per line.
    static func write(_ indices: Set<Int>, keys: [Int: String], to path: String) throws {
        let lines = indices.shuffled().map { keys[$0]! + "\n" }.joined()
        try Data(lines.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
