import Foundation

extension FailedAuthenticationThrottle {
    /// What is counted: the client's address (an IPv6 client by its /64, the smallest block a
    /// site is given, RFC 6177), an account (a user name or consumer identifier, qualified by its
    /// organisation) from one address, or an account from anywhere.
    public enum Key: Hashable, Sendable {
        case ip(IPAddress)
        case accountFromIP(String, IPAddress)
        case account(String)

        /// The kind of a key, which decides its bucket; the raw value starts its text.
        public enum Kind: String, CaseIterable, Sendable {
            case ip = "ip:"
            case accountFromIP = "ipname:"
            case account = "name:"

            /// The kind whose prefix `text` starts with.
            init?(text: some StringProtocol) {
                guard let kind = Self.allCases.first(where: { text.hasPrefix($0.rawValue) }) else { return nil }
                self = kind
            }
        }

        /// The keys a failure is counted against: the address, and when an account is named, the
        /// account from that address and the account.
        public static func keys(address: IPAddress?, account: String?) -> [Key] {
            var keys: [Key] = []
            if let account {
                if let address { keys.append(.accountFromIP(account, address)) }
                keys.append(.account(account))
            }
            if let address { keys.append(.ip(address)) }
            return keys
        }

        public var kind: Kind {
            switch self {
            case .ip: .ip
            case .accountFromIP: .accountFromIP
            case .account: .account
            }
        }

        var text: String {
            switch self {
            case .ip(let address): Kind.ip.rawValue + Self.addressText(address)
            case .accountFromIP(let name, let address): Kind.accountFromIP.rawValue + Self.addressText(address) + " " + Self.nameText(name)
            case .account(let name): Kind.account.rawValue + Self.nameText(name)
            }
        }

        static func addressText(_ address: IPAddress) -> String {
            guard !address.isIPv4 else { return address.description }
            return (IPAddress(networkBytes: Array(address.bytes.prefix(8)) + Array(repeating: 0, count: 8))?.description ?? "") + "/64"
        }

        /// Names come from the client: a long one is counted by its first 200 bytes.
        private static func nameText(_ name: String) -> String {
            String(decoding: name.utf8.prefix(200), as: UTF8.self)
        }
    }

    /// What a failed authentication guessed at, which decides what it counts against.
    public enum Guess: Sendable {
        /// A secret Gatehouse generated (256 bits): the failure counts against the address only.
        case generatedSecret
        /// A secret a person chose (password, pass code): also against the account named.
        case chosenSecret
    }
}
