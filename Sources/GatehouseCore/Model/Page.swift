/// A request for one page of a list: 1-based `pageIndex`, `pageSize` items, optional keywords.
///
/// Both numbers come from a client (query string, CLI option), so both are bounded before any
/// arithmetic: `pageIndex` at most ``maxPageIndex``, which keeps ``offset`` (at most
/// 10⁹ − 100 rows) far inside `Int` and SQL's 64-bit `OFFSET`.
public struct PageRequest: Sendable, Equatable {
    public static let maxPageSize = 100
    public static let maxPageIndex = 10_000_000
    public static let maxKeywordsLength = 200

    public var pageIndex: Int
    public var pageSize: Int
    /// Case-insensitive substring matched against the resource's name-like fields.
    public var keywords: String?

    public init(pageIndex: Int = 1, pageSize: Int = 25, keywords: String? = nil) throws {
        guard (1...Self.maxPageIndex).contains(pageIndex) else {
            throw ValidationError(field: "pageIndex", message: "must be between 1 and \(Self.maxPageIndex)")
        }
        guard (1...Self.maxPageSize).contains(pageSize) else {
            throw ValidationError(field: "pageSize", message: "must be between 1 and \(Self.maxPageSize)")
        }
        if let keywords, keywords.unicodeScalars.count > Self.maxKeywordsLength {
            throw ValidationError(field: "keywords", message: "must be at most \(Self.maxKeywordsLength) characters")
        }
        self.pageIndex = pageIndex
        self.pageSize = pageSize
        self.keywords = keywords.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Rows to skip before this page.
    public var offset: Int { (pageIndex - 1) * pageSize }
}

/// One page of a list, with the total count of matching items.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var pageIndex: Int
    public var pageSize: Int
    public var total: Int

    public init(items: [Item], request: PageRequest, total: Int) {
        self.items = items
        self.pageIndex = request.pageIndex
        self.pageSize = request.pageSize
        self.total = total
    }

    public func map<T>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        var page = Page<T>(items: [], pageIndex: pageIndex, pageSize: pageSize, total: total)
        page.items = try items.map(transform)
        return page
    }

    init(items: [Item], pageIndex: Int, pageSize: Int, total: Int) {
        self.items = items
        self.pageIndex = pageIndex
        self.pageSize = pageSize
        self.total = total
    }
}

extension Page: Encodable where Item: Encodable {}
