import Foundation

/// The WHERE clause of a query's filters, with its bound values.
struct LedgerFilter {
    private var clauses: [String] = []
    private var values: [Value] = []

    private enum Value {
        case int(Int)
        case text(String)
    }

    init(_ query: UsageQuery) {
        if let since = query.since { add("time_ms >= ?", .int(Self.ms(since))) }
        if let until = query.until { add("time_ms < ?", .int(Self.ms(until))) }
        if let agent = query.agent { add("agent = ?", .text(agent)) }
        if let provider = query.provider { add("provider = ?", .text(provider)) }
        if let model = query.model { add("model = ?", .text(model)) }
    }

    static func ms(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }

    private mutating func add(_ clause: String, _ value: Value) {
        clauses.append(clause)
        values.append(value)
    }

    func prepare(_ db: SQLiteDatabase, _ select: String, suffix: String) throws(SQLiteError) -> SQLiteStatement {
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let stmt = try db.prepare(select + filter + " " + suffix)
        for (i, value) in values.enumerated() {
            switch value {
            case .int(let n): stmt.bind(Int32(i + 1), n)
            case .text(let s): stmt.bind(Int32(i + 1), s)
            }
        }
        return stmt
    }
}
