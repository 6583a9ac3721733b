import Foundation
import SidecarProtocol
import SidecarTestSupport
import Testing

/// `ErrorCode` is exactly the spec's list, in both places the spec states it.
@Suite struct ErrorCodeTests {
    /// The codes and default retryable flags equal proto-spec/vectors/errors.json, in order.
    @Test func matchesErrorsVector() throws {
        let codes = try #require(try ProtoSpec.json("vectors/errors.json")["codes"]?.arrayValue)
        let spec = codes.map { ($0["code"]?.stringValue ?? "", $0["retryable"]?.boolValue) }
        #expect(spec.map(\.0) == ErrorCode.allCases.map(\.rawValue))
        for (code, retryable) in spec {
            #expect(ErrorCode(rawValue: code)?.isRetryableByDefault == retryable, "\(code)")
        }
    }

    /// The error table of PROTOCOL.md lists the same codes, with the same retryable column.
    @Test func matchesProtocolTable() throws {
        let text = String(decoding: try ProtoSpec.bytes("PROTOCOL.md"), as: UTF8.self)
        // The section whose heading says "Error codes"; its rows look like: | `bad_request` | no | ...
        let section = text.split(separator: "\n").drop { !($0.hasPrefix("## ") && $0.contains("Error codes")) }
            .dropFirst().prefix { !$0.hasPrefix("## ") }
        var table: [(String, Bool)] = []
        for line in section where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            table.append((cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[1] == "yes"))
        }
        #expect(table.map(\.0) == ErrorCode.allCases.map(\.rawValue))
        for (code, retryable) in table {
            #expect(ErrorCode(rawValue: code)?.isRetryableByDefault == retryable, "\(code)")
        }
    }
}
