@testable import GatehouseServer
import Testing
import Yams

@Suite("The YAML contract becomes the JSON document")
struct PrettyJSONWriterTests {
    @Test("YAML's scalars keep their JSON types and mappings keep their order")
    func scalarsAndOrder() throws {
        let yaml = """
        zeta: '1'
        alpha: 1
        flags: [true, null, 'null', 1.5]
        empty: {}
        none: []
        text: "a \\"quoted\\" /path\\\\ é\\ttab"
        """
        var writer = PrettyJSONWriter()
        try writer.write(try #require(try Yams.compose(yaml: yaml)))
        let expected = """
        {
          "zeta": "1",
          "alpha": 1,
          "flags": [
            true,
            null,
            "null",
            1.5
          ],
          "empty": {},
          "none": [],
          "text": "a \\"quoted\\" /path\\\\ é\\ttab"
        }
        """
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test("A YAML value JSON cannot hold is refused, not guessed", arguments: ["? [a]\n: 1", "a: 2026-12-03T10:00:00Z", "a: !!binary aGVsbG8="])
    func refusesNonJSON(yaml: String) throws {
        var writer = PrettyJSONWriter()
        let node = try #require(try Yams.compose(yaml: yaml))
        #expect(throws: PrettyJSONWriter.Failure.self) { try writer.write(node) }
    }

    @Test("The served document is the YAML file, parsed once")
    func servedDocumentIsTheYAML() throws {
        let text = try #require(String(validating: PackageResources.admin_openapi_yaml, as: UTF8.self))
        var writer = PrettyJSONWriter()
        try writer.write(try #require(try Yams.compose(yaml: text)))
        #expect(writer.bytes == AdminContract.json)
        #expect(AdminContract.json.starts(with: Array("{\n  \"openapi\": \"3.1.0\",".utf8)))
    }
}
