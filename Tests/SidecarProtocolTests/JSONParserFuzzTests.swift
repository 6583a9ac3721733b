import Foundation
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Seeded fuzz of `JSONValue.parse` against the `JSONDecoder`-based parse it replaced: random documents
/// round-trip, and random mutations of them are accepted or rejected by both, with the same value, except
/// for the documented deliberate differences (see `JSONParser`).
@Suite struct JSONParserFuzzTests {
    /// The parse the new parser replaced: `JSONDecoder` with `JSONValue`'s Codable conformance.
    static func reference(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Random trees written by `JSONWriter` parse back to the same tree, and `JSONDecoder` agrees.
    @Test func randomDocumentsRoundTrip() throws {
        var rng = SplitMix64(seed: 0x15_0_0001)
        for _ in 0..<1500 {
            let value = JSONGenerator.value(depth: 0, using: &rng)
            let bytes = value.encoded()
            #expect(try JSONValue.parse(bytes) == value, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(Self.reference(bytes) == value, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// Mutated documents: both parsers agree on accept/reject and on the value, or the case is a deliberate
    /// difference (trailing comma, duplicate key, number underflowing to zero, `0e1`, UTF-16/32 guessing).
    @Test func mutatedDocumentsAgreeWithJSONDecoder() {
        var rng = SplitMix64(seed: 0x15_0_0002)
        var outcomes: [String: Int] = [:]
        for _ in 0..<5000 {
            var bytes = JSONGenerator.value(depth: 0, using: &rng).encoded()
            for _ in 0...Int.random(in: 0...2, using: &rng) { JSONGenerator.mutate(&bytes, using: &rng) }
            let parsed = try? JSONValue.parse(bytes)
            let reference = Self.reference(bytes)
            let outcome: String
            switch (parsed, reference) {
            case (nil, nil): outcome = "both reject"
            case (let a?, let b?) where a == b: outcome = "both accept"
            case (_?, _?) where JSONDocumentScan.hasDuplicateKey(bytes): outcome = "duplicate key"
            case (nil, _?) where JSONDocumentScan.hasTrailingComma(bytes): outcome = "trailing comma"
            case (nil, _?) where bytes.contains(0): outcome = "UTF-16 or UTF-32 guessed"
            case (_?, nil) where JSONDocumentScan.hasUnderflowingNumber(bytes): outcome = "underflow"
            case (_?, nil) where JSONDocumentScan.hasZeroWithBareExponent(bytes): outcome = "0e1"
            default:
                outcome = "unexplained"
                Issue.record("disagree on \(String(decoding: bytes, as: UTF8.self).debugDescription): \(parsed as Any)")
            }
            outcomes[outcome, default: 0] += 1
        }
        #expect(outcomes["both reject", default: 0] > 500, "\(outcomes)")
        #expect(outcomes["both accept", default: 0] > 500, "\(outcomes)")
    }
}

/// Random `JSONValue` trees and byte mutations for the fuzz tests.
enum JSONGenerator {
    static func value(depth: Int, using rng: inout SplitMix64) -> JSONValue {
        switch Int.random(in: depth >= 4 ? 0...3 : 0...5, using: &rng) {
        case 0: return Bool.random(using: &rng) ? nil : .bool(Bool.random(using: &rng))
        case 1: return .number(number(using: &rng))
        case 2, 3: return .string(string(using: &rng))
        case 4:
            let count = Int.random(in: 0...4, using: &rng)
            return .array((0..<count).map { _ in value(depth: depth + 1, using: &rng) })
        default:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                fields[string(using: &rng)] = value(depth: depth + 1, using: &rng)
            }
            return .object(fields)
        }
    }

    static func number(using rng: inout SplitMix64) -> Double {
        switch Int.random(in: 0...3, using: &rng) {
        case 0: return Double(Int.random(in: -1000...1000, using: &rng))
        case 1: return Double(Int64.random(in: Int64.min...Int64.max, using: &rng))
        case 2: return Double.random(in: -1e6...1e6, using: &rng)
        default:
            let mantissa = Double.random(in: 1...10, using: &rng)
            return Double("\(mantissa)e\(Int.random(in: -300...300, using: &rng))") ?? 0
        }
    }

    static func string(using rng: inout SplitMix64) -> String {
        let pools: [ClosedRange<UInt32>] = [
            0x61...0x7A, 0x20...0x7E, 0x00...0x1F, 0xA0...0x2FF, 0x2600...0x26FF,
            0xE000...0xFFFD, 0x1F600...0x1F64F, 0x10000...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            let pool = pools[Int.random(in: 0..<pools.count, using: &rng)]
            if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// Bytes that matter to JSON syntax, plus a few that never belong outside a string.
    static let alphabet =
        Array(#"{}[]",:0123456789-+.eE \/ubfnrtalsxX"#.utf8) + [0x09, 0x0A, 0x00, 0x1F, 0x80, 0xC3, 0xFF]

    static func mutate(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes = [alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]]
            return
        }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
        switch Int.random(in: 0...4, using: &rng) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(byte, at: at)
        case 2: bytes[at] = byte
        case 3: bytes.removeSubrange(at...)
        default:
            let end = min(bytes.count, at + Int.random(in: 1...6, using: &rng))
            bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
        }
    }
}
