/// The formats of `export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header line; `metadata` is a JSON string; empty cells for null.
    case csv
    /// One JSON object per line, keys as in the CSV header.
    case jsonLines = "jsonl"
}
