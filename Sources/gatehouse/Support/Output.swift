import ArgumentParser
import Foundation
import GatehouseCore

/// `--json` for machine-readable output; otherwise short human-readable lines.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON, in the admin API's shapes.")
    var json = false

    func print<Value: Encodable>(_ value: Value, human: () -> String) throws {
        if json {
            let data = try JSONEncoder.gatehouse.encode(value)
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            Swift.print(human())
        }
    }
}

/// Paging flags that mirror the admin API's query parameters.
struct PageOptions: ParsableArguments {
    @Option(help: "1-based page number.") var pageIndex = 1
    @Option(help: "Items per page (1-100).") var pageSize = 25
    @Option(help: "Case-insensitive filter.") var keywords: String?

    func request() throws -> PageRequest {
        try PageRequest(pageIndex: pageIndex, pageSize: pageSize, keywords: keywords)
    }
}

extension Page {
    func human(_ line: (Item) -> String) -> String {
        (items.map(line) + ["(\(items.count) of \(total); page \(pageIndex), \(pageSize) per page)"]).joined(separator: "\n")
    }
}
