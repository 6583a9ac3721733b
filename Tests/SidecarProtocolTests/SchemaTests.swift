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

/// The vectors and the schemas agree: valid messages validate, refused ones with a known type do not.
@Suite struct SchemaVectorTests {
    static let clientSchemas = [
        "hello": "client-hello", "complete": "complete", "cancel": "cancel", "usage": "usage-request",
        "status": "status-request", "ping": "ping",
    ]
    static let serverSchemas = [
        "hello": "server-hello", "chunk": "chunk", "done": "done", "error": "error", "usage": "usage-reply",
        "status": "status-reply", "pong": "pong",
    ]

    static func validator(_ name: String) throws -> SchemaValidator {
        SchemaValidator(root: try ProtoSpec.json("schema/\(name).json"))
    }

    /// Removes null members, which the sidecar reads as absent but the schemas (the form clients send) omit.
    static func droppingNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields): return .object(fields.filter { $0.value != .null }.mapValues(droppingNulls))
        case .array(let items): return .array(items.map(droppingNulls))
        default: return value
        }
    }

    /// Every message of messages/valid.json validates against its client schema.
    @Test func validClientMessagesMatchSchemas() throws {
        for vector in try ProtoSpec.vectors("vectors/messages/valid.json") {
            let message = Self.droppingNulls(try #require(vector["message"]))
            let schema = try #require(Self.clientSchemas[message["type"]?.stringValue ?? ""])
            #expect(try Self.validator(schema).problems(message) == [], "\(vector["name"] ?? .null)")
        }
    }

    /// Every refused message of messages/invalid.json whose type is known fails its client schema, so the
    /// schemas are no looser than the sidecar.
    @Test func invalidClientMessagesFailSchemas() throws {
        for vector in try ProtoSpec.vectors("vectors/messages/invalid.json") {
            guard let message = vector["message"], let schema = Self.clientSchemas[message["type"]?.stringValue ?? ""]
            else { continue }
            #expect(try !Self.validator(schema).problems(message).isEmpty, "\(vector["name"] ?? .null)")
        }
    }

    /// Every message of messages/server.json validates against its server schema.
    @Test func serverMessagesMatchSchemas() throws {
        for vector in try ProtoSpec.vectors("vectors/messages/server.json") {
            let message = try #require(vector["message"])
            let schema = try #require(Self.serverSchemas[message["type"]?.stringValue ?? ""])
            #expect(try Self.validator(schema).problems(message) == [], "\(vector["name"] ?? .null)")
        }
    }

    /// Every message the session vectors send and expect no error for validates against its client schema.
    @Test func sessionMessagesMatchSchemas() throws {
        for session in try SessionScript.all() {
            for step in session.steps {
                for case .message(let message) in step.send {
                    let refused = step.expect.contains {
                        $0.patterns[0]["type"] == "error" && $0.id == (message["id"] ?? .null)
                    }
                    guard !refused, let schema = Self.clientSchemas[message["type"]?.stringValue ?? ""] else {
                        continue
                    }
                    #expect(try Self.validator(schema).problems(message) == [], "\(session.name)")
                }
            }
        }
    }
}
