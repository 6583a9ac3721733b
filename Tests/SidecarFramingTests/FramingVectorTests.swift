import SidecarFraming
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Runs proto-spec/vectors/framing through `FrameDecoder`, fed whole, byte by byte, at the vectors' listed
/// split points and at seeded random split points: every way of cutting the input must decode the same.
@Suite struct FramingVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var file: String
        var name: String
        var maxFrame: Int
        var input: [UInt8]
        var mode: WireMode?
        var expected: [Event]
        var eof: String?
        var splits: [[Int]]

        var testDescription: String { "\(file) \(name)" }
    }

    /// What the decoder produced, in the vectors' vocabulary.
    enum Event: Equatable, Sendable {
        case payload([UInt8])
        case error(code: String, fatal: Bool)
    }

    struct Outcome: Equatable {
        var events: [Event]
        var eof: String?
        var mode: WireMode?
    }

    static let vectors: [Vector] = loadVectors()

    static func loadVectors() -> [Vector] {
        do {
            var vectors: [Vector] = []
            for file in try ProtoSpec.files(in: "vectors/framing", suffix: "json") {
                for v in try ProtoSpec.vectors(file) {
                    vectors.append(try vector(v, file: file))
                }
            }
            return vectors
        } catch {
            Issue.record("cannot load framing vectors: \(error)")
            return []
        }
    }

    static func vector(_ v: JSONValue, file: String) throws -> Vector {
        var expected: [Event] = []
        for e in v["expect"]?.arrayValue ?? [] {
            if let hex = e["payload_hex"]?.stringValue {
                expected.append(.payload(try ProtoSpec.hex(hex)))
            } else if let code = e["error"]?.stringValue, let fatal = e["fatal"]?.boolValue {
                expected.append(.error(code: code, fatal: fatal))
            } else {
                throw ProtoSpecError("\(file): bad expect element \(e)")
            }
        }
        let modes: [String: WireMode] = ["framed": .framed, "lines": .lines]
        return Vector(
            file: file, name: v["name"]?.stringValue ?? "?", maxFrame: v["max_frame"]?.intValue ?? 0,
            input: try ProtoSpec.hex(v["input_hex"]?.stringValue ?? ""),
            mode: v["mode"]?.stringValue.flatMap { modes[$0] },
            expected: expected, eof: v["eof"]?.stringValue,
            splits: (v["splits"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.intValue) })
    }

    /// Feeds `chunks` in order, collecting payloads and errors the way a connection would: a non-fatal error
    /// is reported and decoding goes on; a fatal one ends decoding.
    static func decode(_ chunks: [ArraySlice<UInt8>], maxFrame: Int) -> Outcome {
        var decoder = FrameDecoder(maxFrame: maxFrame)
        var events: [Event] = []
        for chunk in chunks {
            decoder.append(chunk)
            while true {
                do {
                    guard let payload = try decoder.next() else { break }
                    events.append(.payload(payload))
                } catch {
                    events.append(.error(code: wireCode(error), fatal: error.isFatal))
                    if error.isFatal { return Outcome(events: events, eof: nil, mode: decoder.mode) }
                }
            }
        }
        do {
            try decoder.finish()
            return Outcome(events: events, eof: "clean", mode: decoder.mode)
        } catch {
            return Outcome(events: events, eof: "truncated", mode: decoder.mode)
        }
    }

    /// The error code a sidecar sends for a framing error (after truncation nothing is sent: the peer is gone).
    static func wireCode(_ error: FramingError) -> String {
        switch error {
        case .emptyFrame: return ErrorCode.badRequest.rawValue
        case .frameTooLarge: return ErrorCode.frameTooLarge.rawValue
        case .truncated: return "truncated"
        }
    }

    static func cut(_ input: [UInt8], at points: [Int]) -> [ArraySlice<UInt8>] {
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        for point in points.sorted() where point > start && point < input.count {
            chunks.append(input[start..<point])
            start = point
        }
        chunks.append(input[start...])
        return chunks
    }

    func expectOutcome(_ v: Vector, _ chunks: [ArraySlice<UInt8>], _ how: String) {
        let outcome = Self.decode(chunks, maxFrame: v.maxFrame)
        #expect(outcome == Outcome(events: v.expected, eof: v.eof, mode: v.mode), "\(v.name), fed \(how)")
    }

    /// Each vector decodes to its expected payloads, errors and EOF verdict when fed in one piece.
    @Test(arguments: Self.vectors) func decodesWhole(_ v: Vector) {
        expectOutcome(v, [v.input[...]], "whole")
    }

    /// Each vector decodes the same when fed one byte at a time.
    @Test(arguments: Self.vectors) func decodesByteByByte(_ v: Vector) {
        expectOutcome(v, v.input.indices.map { v.input[$0...$0] }, "byte by byte")
    }

    /// Each vector decodes the same when cut at the split points it lists.
    @Test(arguments: Self.vectors) func decodesAtListedSplits(_ v: Vector) {
        for points in v.splits {
            expectOutcome(v, Self.cut(v.input, at: points), "split at \(points)")
        }
    }

    /// Each vector decodes the same when cut at random points (seeded, so a failure reproduces).
    @Test(arguments: Self.vectors) func decodesAtRandomSplits(_ v: Vector) {
        var rng = SplitMix64(seed: v.name.utf8.reduce(5381) { $0 &* 33 &+ UInt64($1) })
        for _ in 0..<50 where v.input.count > 1 {
            let count = Int.random(in: 1...min(6, v.input.count - 1), using: &rng)
            let points = (0..<count).map { _ in Int.random(in: 1..<v.input.count, using: &rng) }
            expectOutcome(v, Self.cut(v.input, at: points), "split at \(points.sorted())")
        }
    }

    /// The vector files cover both modes and every framing outcome the spec names.
    @Test func vectorsCoverEveryOutcome() {
        let events = Self.vectors.flatMap(\.expected)
        #expect(events.contains(.error(code: "bad_request", fatal: false)))
        #expect(events.contains(.error(code: "frame_too_large", fatal: true)))
        #expect(Self.vectors.contains { $0.eof == "truncated" && $0.mode == .framed })
        #expect(Self.vectors.contains { $0.eof == "truncated" && $0.mode == .lines })
        #expect(Set(Self.vectors.map(\.name)).count == Self.vectors.count, "vector names are unique")
    }

    /// `FrameEncoder` output decodes back to the same payload, in both modes.
    @Test(arguments: [WireMode.framed, .lines]) func encoderRoundTrips(_ mode: WireMode) throws {
        let payloads: [[UInt8]] = [
            Array(#"{"type":"ping","id":"1"}"#.utf8), Array(#"{"a":"é☃😀"}"#.utf8), Array("{}".utf8),
        ]
        var decoder = FrameDecoder(maxFrame: 64)
        for payload in payloads { decoder.append(FrameEncoder.encode(payload, mode: mode)) }
        var decoded: [[UInt8]] = []
        while let payload = try decoder.next() { decoded.append(payload) }
        #expect(decoded == payloads)
        #expect(decoder.mode == mode)
    }
}
