import Foundation
import SidecarProtocol
import SidecarTime

extension LedgerReader {
    /// The export columns, in order (snake_case, as in the CSV header and JSON keys). Columns added later
    /// come last, so a CSV reader that goes by position keeps working.
    public static let exportColumns = [
        "time", "request_id", "agent", "peer_uid", "peer_pid", "provider", "model", "outcome", "input_tokens",
        "output_tokens", "cache_read_tokens", "cache_write_tokens", "usage_reported", "cost_usd", "ttft_ms",
        "latency_ms", "attempts", "metadata", "cache_write_1h_tokens", "reasoning_tokens",
        "web_search_requests", "service_tier",
    ]

    /// Writes the rows matching `query` (filters only) in recording order, one line per call of `write`.
    public func export(_ query: UsageQuery, format: ExportFormat, to write: (String) -> Void) throws(LedgerError) {
        if format == .csv { write(Self.exportColumns.joined(separator: ",") + "\n") }
        try forEachRow(query) { row in
            let values = Self.exportValues(row)
            switch format {
            case .csv:
                write(values.map(Self.csvCell).joined(separator: ",") + "\n")
            case .jsonLines:
                let object = JSONValue.object(Dictionary(uniqueKeysWithValues: zip(Self.exportColumns, values)))
                write(String(decoding: object.encoded(), as: UTF8.self) + "\n")
            }
        }
    }

    /// Writes the export to a file handle (a file, or standard output for `provider-sidecar usage --export`).
    /// A failed write (full disk, closed pipe) stops the export with `queryFailed` instead of trapping.
    public func export(_ query: UsageQuery, format: ExportFormat, to handle: FileHandle) throws(LedgerError) {
        var failure: (any Error)?
        try export(query, format: format) { line in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(line.utf8)) } catch { failure = error }
        }
        if let failure { throw .queryFailed(path: path, detail: "writing the export failed: \(failure)") }
    }

    private static func exportValues(_ row: LedgerRow) -> [JSONValue] {
        [
            .string(Timestamp.format(row.time)), .string(row.requestID), .string(row.agent),
            JSONValue(row.peerUID.map { Int($0) }), JSONValue(row.peerPID.map { Int($0) }), JSONValue(row.provider),
            JSONValue(row.model), .string(row.outcome), JSONValue(row.usage.inputTokens),
            JSONValue(row.usage.outputTokens), JSONValue(row.usage.cacheReadTokens),
            JSONValue(row.usage.cacheWriteTokens), .bool(row.usage.reported), JSONValue(row.costUSD),
            JSONValue(row.ttftMs), JSONValue(row.latencyMs), JSONValue(row.attempts), row.metadata ?? .null,
            JSONValue(row.usage.cacheWrite1hTokens), JSONValue(row.usage.reasoningTokens),
            JSONValue(row.usage.webSearchRequests), JSONValue(row.usage.serviceTier),
        ]
    }

    /// A CSV cell: null is empty, objects are their JSON text, quoted when they hold `,`, `"` or a line break.
    private static func csvCell(_ value: JSONValue) -> String {
        let text: String
        switch value {
        case .null: return ""
        case .string(let s): text = s
        case .bool(let b): return b ? "true" : "false"
        default: text = String(decoding: value.encoded(), as: UTF8.self)
        }
        guard text.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
