import Foundation
@testable import GatehouseCore
import Testing

/// RFC 8259 §4–§5: a value separator is followed by a member or a value, never by `}` or `]`.
@Suite struct StrictJSONTests {
    @Test(arguments: [#"{"a":1,}"#, "[1,2,]", "{\"a\":[1 , \n ],\"b\":2}", #"{"a":{"b":1,} }"#])
    func aCommaBeforeACloseIsRefused(_ text: String) {
        #expect(throws: StrictJSON.Invalid.self) { try StrictJSON.parse(Data(text.utf8)) }
    }

    @Test(arguments: [#"{"a":1}"#, #"{"a":",}","b":"\",]"}"#, "[]", "{}", #"{"a":[1,2],"b":{"c":3}}"#])
    func commasInsideStringsAndBetweenValuesAreFine(_ text: String) throws {
        _ = try StrictJSON.parse(Data(text.utf8))
    }

    @Test func malformedJSONIsRefusedWithTheSameMessage() {
        #expect(throws: StrictJSON.Invalid.self) { try StrictJSON.parse(Data("{".utf8)) }
    }

    @Test(arguments: [
        (#"{"customer":"a","customer":"alice"}"#, "customer"),
        (#"{"a":{"b":1,"b":2}}"#, "b"),
        (#"{"a":1,"\u0061":2}"#, "a"),
        (#"[{"x":1},{"y":1,"y":2}]"#, "y"),
    ])
    func aNameTwiceInOneObjectIsRefused(_ text: String, _ name: String) {
        #expect(throws: StrictJSON.Invalid.self) { try StrictJSON.parse(Data(text.utf8)) }
        #expect(StrictJSON.firstBreach(Data(text.utf8)) == .duplicatedName(name))
    }

    @Test(arguments: [#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#, #"{"a":"a","b":"\"a\""}"#, #"{"a":["a","a"]}"#])
    func theSameNameInDifferentObjectsOrAsAValueIsFine(_ text: String) throws {
        _ = try StrictJSON.parse(Data(text.utf8))
        #expect(StrictJSON.firstBreach(Data(text.utf8)) == nil)
    }
}
