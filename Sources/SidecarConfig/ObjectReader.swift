import SidecarProtocol

/// Reads typed fields of one JSON object of the config, logging a problem with its path for each
/// wrong value and returning nil for it, so reading continues and every problem is reported.
/// `null` counts as absent. String values are never echoed in messages (they may be secrets).
struct ObjectReader {
    let fields: [String: JSONValue]
    let path: String
    let log: ProblemLog

    /// Nil (with a logged problem) when `value` is not an object.
    init?(_ value: JSONValue, path: String, log: ProblemLog) {
        guard case .object(let fields) = value else {
            log.add(path, "expected object, got \(value.typeName)")
            return nil
        }
        self.fields = fields
        self.path = path
        self.log = log
    }

    func name(_ key: String) -> String { JSONPath.child(path, key) }

    func fail(_ key: String, _ message: String) { log.add(name(key), message) }

    /// Logs every key not in `known`, with a suggestion when one is an obvious typo away.
    func rejectUnknownKeys(known: [String]) {
        for key in fields.keys.sorted() where !known.contains(key) {
            if key == "api_key" || key == "key" {
                fail(key, "unknown key: put the key in an environment variable (api_key_env) or a file (api_key_file)")
            } else {
                fail(key, "unknown key" + Suggestion.hint(for: key, in: known))
            }
        }
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    private func mismatch<T>(_ key: String, _ expected: String, _ value: JSONValue) -> T? {
        fail(key, "expected \(expected), got \(value.typeName)")
        return nil
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key) else {
            if required { fail(key, "missing") }
            return nil
        }
        guard let text = value.stringValue else { return mismatch(key, "string", value) }
        if text.isEmpty {
            fail(key, "must not be empty")
            return nil
        }
        return text
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else { return mismatch(key, "boolean", value) }
        return flag
    }

    /// An integer in `range`.
    func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = value(key) else {
            if required { fail(key, "missing") }
            return nil
        }
        guard let number = value.intValue else {
            if case .number(let n) = value {
                fail(key, "expected integer, got \(n)")
                return nil
            }
            return mismatch(key, "integer", value)
        }
        return checked(key, number, in: range)
    }

    /// A number in `range`.
    func number(_ key: String, in range: ClosedRange<Double>, required: Bool = false) -> Double? {
        guard let value = value(key) else {
            if required { fail(key, "missing") }
            return nil
        }
        guard let number = value.doubleValue else { return mismatch(key, "number", value) }
        return checked(key, number, in: range)
    }

    /// A duration in seconds: a positive number (zero too when `allowZero`), at most a year.
    func seconds(_ key: String, allowZero: Bool = false) -> Duration? {
        guard let value = value(key) else { return nil }
        guard let number = value.doubleValue else { return mismatch(key, "number of seconds", value) }
        if number < 0 || (number == 0 && !allowZero) {
            fail(key, allowZero ? "must not be negative" : "must be positive")
            return nil
        }
        guard let seconds = checked(key, number, in: 0...Self.maxSeconds) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    static let maxSeconds = 366.0 * 86_400

    func array(_ key: String) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let items = value.arrayValue else { return mismatch(key, "array", value) }
        return items
    }

    func object(_ key: String) -> ObjectReader? {
        guard let value = value(key) else { return nil }
        return ObjectReader(value, path: name(key), log: log)
    }

    /// An array of non-empty strings with the index each came from, each problem reported at its
    /// index; duplicates are errors.
    func strings(_ key: String) -> [(index: Int, value: String)]? {
        guard let items = array(key) else { return nil }
        var result: [(index: Int, value: String)] = []
        for (index, item) in items.enumerated() {
            let itemPath = JSONPath.index(name(key), index)
            guard let text = item.stringValue else {
                log.add(itemPath, "expected string, got \(item.typeName)")
                continue
            }
            if text.isEmpty {
                log.add(itemPath, "must not be empty")
            } else if let first = result.first(where: { $0.value == text }) {
                log.add(itemPath, "duplicate \(JSONPath.quoted(text)) (also at [\(first.index)])")
            } else {
                result.append((index, text))
            }
        }
        return result
    }

    private func checked<N: Comparable>(_ key: String, _ number: N, in range: ClosedRange<N>) -> N? {
        if number < range.lowerBound {
            fail(key, "must be at least \(Self.format(range.lowerBound))")
            return nil
        }
        if number > range.upperBound {
            fail(key, "must be at most \(Self.format(range.upperBound))")
            return nil
        }
        return number
    }

    /// Bounds as people write them: `0`, not `0.0`.
    private static func format<N>(_ number: N) -> String {
        if let double = number as? Double, double.rounded() == double, abs(double) < 1e15 { return String(Int(double)) }
        return "\(number)"
    }
}
