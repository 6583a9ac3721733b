import SidecarProtocol
import SidecarTestSupport
import Testing

/// Runs proto-spec/vectors/messages/{valid,invalid}.json through `ClientMessage.parse`.
@Suite struct MessageVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var name: String
        var payload: [UInt8]
        var raw: JSONValue
        var testDescription: String { name }
    }

    static func load(_ file: String) -> [Vector] {
        do {
            return try ProtoSpec.vectors("vectors/messages/\(file)").map { v in
                let payload: [UInt8]
                if let hex = v["payload_hex"]?.stringValue {
                    payload = try ProtoSpec.hex(hex)
                } else if let message = v["message"] {
                    payload = message.encoded()
                } else {
                    throw ProtoSpecError("\(file): vector without message or payload_hex")
                }
                return Vector(name: v["name"]?.stringValue ?? "?", payload: payload, raw: v)
            }
        } catch {
            Issue.record("cannot load \(file): \(error)")
            return []
        }
    }

    static let valid = load("valid.json")
    static let invalid = load("invalid.json")

    /// Every valid message is accepted and decodes to the normalized value the vector lists.
    @Test(arguments: Self.valid) func acceptsValidMessage(_ v: Vector) throws {
        let expected = try #require(v.raw["decoded"])
        switch ClientMessage.parse(v.payload) {
        case .success(let message):
            #expect(message.normalized == expected)
        case .failure(let rejection):
            Issue.record("refused: \(rejection.error)")
        }
    }

    /// Every invalid payload is refused with the vector's code and id, and a message naming the field path.
    @Test(arguments: Self.invalid) func refusesInvalidMessage(_ v: Vector) throws {
        let expected = try #require(v.raw["error"])
        switch ClientMessage.parse(v.payload) {
        case .success(let message):
            Issue.record("accepted as \(message)")
        case .failure(let rejection):
            #expect(rejection.error.code.rawValue == expected["code"]?.stringValue)
            #expect(JSONValue(rejection.id) == expected["id"])
            #expect(rejection.error.retryable == false)
            if let path = expected["path"]?.stringValue {
                #expect(rejection.error.message.hasPrefix("\(path):"), "message: \(rejection.error.message)")
            }
        }
    }

    /// Both files load, and vector names are unique, so a failure points at one vector.
    @Test func vectorsLoadWithUniqueNames() {
        #expect(!Self.valid.isEmpty)
        #expect(!Self.invalid.isEmpty)
        let names = (Self.valid + Self.invalid).map(\.name)
        #expect(Set(names).count == names.count)
    }
}
