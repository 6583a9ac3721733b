import SidecarProtocol

/// The answer to a `UsageQuery`: totals over the matching rows and one breakdown.
///
/// Wire form (the `report` of a `usage` reply): `{"query": {...}, "group_by": "agent", "totals": {...},
/// "rows": [{"key": "coder", "requests": 3, "input_tokens": ..., "cost_usd": ...}, ...]}`, rows sorted by key.
public struct UsageReport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The agent, provider, `provider/model` or `YYYY-MM-DD` day (UTC); `-` for a missing provider/model.
        public var key: String
        public var totals: UsageTotals

        public init(key: String, totals: UsageTotals) {
            self.key = key
            self.totals = totals
        }
    }

    public var query: UsageQuery
    public var totals: UsageTotals
    public var rows: [Row]

    public init(query: UsageQuery, totals: UsageTotals, rows: [Row]) {
        self.query = query
        self.totals = totals
        self.rows = rows
    }

    public var json: JSONValue {
        var rowValues: [JSONValue] = []
        for row in rows {
            guard case .object(var fields) = row.totals.json else { continue }
            fields["key"] = .string(row.key)
            rowValues.append(.object(fields))
        }
        return [
            "query": query.json, "group_by": .string(query.groupBy.rawValue), "totals": totals.json,
            "rows": .array(rowValues),
        ]
    }

    /// Reads a report back, for example from a `usage` reply received over the socket.
    public init(json: JSONValue) throws(SidecarError) {
        query = try UsageQuery(json: json["query"] ?? [:])
        guard let totals = json["totals"] else { throw SidecarError(.badRequest, "totals: missing") }
        self.totals = try UsageTotals(json: totals)
        var rows: [Row] = []
        for (i, raw) in (json["rows"]?.arrayValue ?? []).enumerated() {
            guard let key = raw["key"]?.stringValue else { throw SidecarError(.badRequest, "rows[\(i)].key: missing") }
            rows.append(Row(key: key, totals: try UsageTotals(json: raw)))
        }
        self.rows = rows
    }
}
