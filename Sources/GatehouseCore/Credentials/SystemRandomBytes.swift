extension SystemRandomNumberGenerator {
    /// `count` bytes from the system's secure random generator, drawn as whole 64-bit words: one
    /// getrandom(2) per 8 bytes, not one per byte.
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<(count + 7) / 8).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
        return Array(words.prefix(count))
    }
}
