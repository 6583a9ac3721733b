import SidecarProtocol
import SidecarTestSupport
import Testing

/// proto-spec/schema holds one draft 2020-12 JSON Schema per message type.
@Suite struct SchemaTests {
    static let expected = [
        "cancel", "chunk", "client-hello", "complete", "done", "error", "ping", "pong", "server-hello",
        "status-reply", "status-request", "usage-reply", "usage-request",
    ]

    /// The folder holds exactly the expected schema files.
    @Test func oneSchemaPerMessageType() throws {
        let files = try ProtoSpec.files(in: "schema", suffix: "json")
        #expect(files == Self.expected.map { "schema/\($0).json" })
    }

    /// Each schema is valid JSON declaring draft 2020-12, an `$id` naming its file, a title, and a `type` const.
    @Test(arguments: Self.expected) func schemaIsWellFormed(_ name: String) throws {
        let schema = try ProtoSpec.json("schema/\(name).json")
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["$id"]?.stringValue?.hasSuffix("/\(name).json") == true)
        #expect(schema["title"]?.stringValue?.isEmpty == false)
        #expect(schema["properties"]?["type"]?["const"]?.stringValue != nil)
        #expect(schema["required"]?.arrayValue?.contains("type") == true)
    }
}
