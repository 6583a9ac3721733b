import Foundation
import SidecarCLI
import SidecarFraming
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Every malformed input gets a clear `error` frame, and the daemon keeps serving everyone else.
@Suite(.serialized)
struct BadInputTests {
    let fixture: SidecarFixture

    init() throws { fixture = try SidecarFixture(limits: "{\"max_frame\": 4096}") }

    static func frame(_ text: String) -> [UInt8] { FrameEncoder.encode(Array(text.utf8), mode: .framed) }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let code: String
        let id: JSONValue
        var testDescription: String { name }
    }

    static let recoverable: [Case] = [
        Case(name: "zero length", bytes: [0, 0, 0, 0], code: "bad_request", id: .null),
        Case(
            name: "invalid UTF-8", bytes: FrameEncoder.encode([0x7B, 0xFF, 0xFE, 0x7D], mode: .framed),
            code: "bad_request", id: .null),
        Case(name: "not JSON", bytes: frame("hello"), code: "bad_request", id: .null),
        Case(name: "not an object", bytes: frame("[1,2]"), code: "bad_request", id: .null),
        Case(name: "missing type", bytes: frame("{\"id\":\"x1\"}"), code: "bad_request", id: "x1"),
        Case(name: "unknown type", bytes: frame("{\"type\":\"fly\",\"id\":\"x2\"}"), code: "unknown_type", id: "x2"),
        Case(name: "missing id", bytes: frame("{\"type\":\"ping\"}"), code: "bad_request", id: .null),
        Case(name: "id not a string", bytes: frame("{\"type\":\"ping\",\"id\":7}"), code: "bad_request", id: .null),
        Case(
            name: "messages wrong type", bytes: frame("{\"type\":\"complete\",\"id\":\"x3\",\"messages\":\"hi\"}"),
            code: "bad_request", id: "x3"),
        Case(
            name: "bad role",
            bytes: frame(
                "{\"type\":\"complete\",\"id\":\"x4\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}"),
            code: "bad_request", id: "x4"),
        Case(
            name: "max_tokens not integer",
            bytes: frame(
                "{\"type\":\"complete\",\"id\":\"x5\",\"max_tokens\":\"many\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            ),
            code: "bad_request", id: "x5"),
        Case(
            name: "unknown model",
            bytes: frame(
                "{\"type\":\"complete\",\"id\":\"x6\",\"model\":\"nope/nothing\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            ),
            code: "unknown_model", id: "x6"),
    ]

    /// Each recoverable bad input gets its error frame, and the same connection still answers a ping.
    @Test(arguments: recoverable)
    func recoverableInputKeepsConnection(_ input: Case) throws {
        let client = try fixture.connect()
        try client.sendRaw(input.bytes)
        let reply = try #require(try client.receive())
        #expect(reply["type"] == "error")
        #expect(reply["error"]?["code"]?.stringValue == input.code)
        #expect(reply["id"] == input.id)
        #expect(reply["error"]?["message"]?.stringValue?.isEmpty == false)
        #expect(try client.request(["type": "ping", "id": "still-here"])["type"] == "pong")
    }

    /// A frame longer than max_frame gets `frame_too_large`, then the connection closes; others are unaffected.
    @Test func oversizedFrameClosesConnection() throws {
        let bystander = try fixture.connect()
        let client = try fixture.connect()
        try client.sendRaw([0, 0, 0x10, 0x01] + Array(repeating: UInt8(ascii: " "), count: 10))
        let reply = try #require(try client.receive())
        #expect(reply["error"]?["code"] == "frame_too_large")
        #expect(try client.receive() == nil)
        #expect(try bystander.request(["type": "ping", "id": "b"])["type"] == "pong")
    }

    /// An over-long line in line mode is `frame_too_large` too.
    @Test func oversizedLineClosesConnection() throws {
        let client = try SidecarClient(path: fixture.socketPath, mode: .lines)
        try client.sendRaw(
            Array("{\"type\":\"ping\",\"id\":\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 5000))
        let reply = try #require(try client.receive())
        #expect(reply["error"]?["code"] == "frame_too_large")
    }

    /// A client that closes inside a frame gets a `bad_request` naming the truncation (if it still reads).
    @Test func truncatedFrame() throws {
        let client = try fixture.connect()
        try client.sendRaw([0, 0, 0, 50] + Array("{\"type\":".utf8))
        client.shutdownWrite()
        let reply = try #require(try client.receive())
        #expect(reply["error"]?["code"] == "bad_request")
        #expect(try fixture.connect().request(["type": "ping", "id": "ok"])["type"] == "pong")
    }

    /// Random garbage on many connections never takes the daemon down.
    @Test func garbageNeverCrashes() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let client = try fixture.connect()
            let bytes = (0..<Int.random(in: 1...300, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            try? client.sendRaw(bytes)
        }
        #expect(try fixture.connect().request(["type": "ping", "id": "alive"])["type"] == "pong")
    }
}
