import Foundation
import SidecarProtocol
import SidecarTime

/// What a `usage` request or `provider-sidecar usage` asks for: filters and one breakdown.
///
/// Wire form (the fields of the `usage` request; all optional): `since`, `until` (RFC 3339 times such as
/// `2026-11-25T10:00:00Z`, or bare UTC dates `2026-11-25` meaning that day's 00:00Z), `agent`,
/// `provider`, `model`, `group_by` (`agent` (default), `provider`, `model` or `day`). `since` is
/// inclusive and `until` exclusive, so `since 2026-11-01, until 2026-12-01` is November.
public struct UsageQuery: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case agent, provider, model, day
    }

    public var since: Date?
    public var until: Date?
    public var agent: String?
    public var provider: String?
    public var model: String?
    public var groupBy: Grouping

    public init(
        since: Date? = nil, until: Date? = nil, agent: String? = nil, provider: String? = nil,
        model: String? = nil, groupBy: Grouping = .agent
    ) {
        self.since = since
        self.until = until
        self.agent = agent
        self.provider = provider
        self.model = model
        self.groupBy = groupBy
    }

    /// Reads the query fields of a `usage` message (other fields such as `type` and `id` are ignored).
    public init(json: JSONValue) throws(SidecarError) {
        guard case .object = json else { throw SidecarError(.badRequest, "usage query must be an object") }
        func string(_ key: String) throws(SidecarError) -> String? {
            guard let value = json[key], value != .null else { return nil }
            guard let s = value.stringValue else {
                throw SidecarError(.badRequest, "\(key): expected string, got \(value.typeName)")
            }
            return s
        }
        func date(_ key: String) throws(SidecarError) -> Date? {
            guard let text = try string(key) else { return nil }
            guard let date = Timestamp.parse(text) else {
                throw SidecarError(.badRequest, "\(key): expected an RFC 3339 time or YYYY-MM-DD, got \"\(text)\"")
            }
            return date
        }
        since = try date("since")
        until = try date("until")
        agent = try string("agent")
        provider = try string("provider")
        model = try string("model")
        if let name = try string("group_by") {
            guard let grouping = Grouping(rawValue: name) else {
                throw SidecarError(.badRequest, "group_by: expected agent, provider, model or day, got \"\(name)\"")
            }
            groupBy = grouping
        } else {
            groupBy = .agent
        }
    }

    public var json: JSONValue {
        var fields: [String: JSONValue] = ["group_by": .string(groupBy.rawValue)]
        if let since { fields["since"] = .string(Timestamp.format(since)) }
        if let until { fields["until"] = .string(Timestamp.format(until)) }
        if let agent { fields["agent"] = .string(agent) }
        if let provider { fields["provider"] = .string(provider) }
        if let model { fields["model"] = .string(model) }
        return .object(fields)
    }
}
