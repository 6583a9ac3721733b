import Foundation

/// Queries on the ledger's own read connection (see `LedgerReader`).
extension Ledger {
    /// Totals and the query's breakdown over the matching rows.
    public func usage(_ query: UsageQuery) throws(LedgerError) -> UsageReport { try reader.usage(query) }

    /// The matching rows in recording order.
    public func rows(matching query: UsageQuery) throws(LedgerError) -> [LedgerRow] { try reader.rows(matching: query) }

    /// Writes the matching rows as CSV or JSON lines, one line per call of `write`.
    public func export(_ query: UsageQuery, format: ExportFormat, to write: (String) -> Void) throws(LedgerError) {
        try reader.export(query, format: format, to: write)
    }

    /// Writes the export to a file handle.
    public func export(_ query: UsageQuery, format: ExportFormat, to handle: FileHandle) throws(LedgerError) {
        try reader.export(query, format: format, to: handle)
    }
}
