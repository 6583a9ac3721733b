import SidecarProtocol

/// The pattern language of proto-spec session vectors (see proto-spec/vectors/README.md, Patterns).
///
/// Placeholders (`"<any>"`, `"<string>"`, `"<int>"` ...) match by kind; objects match when every key of the
/// pattern matches and may hold extra keys; arrays match element by element.
public enum JSONPattern {
    /// Whether `value` (nil: the key is absent) matches `pattern`.
    public static func matches(_ pattern: JSONValue, _ value: JSONValue?) -> Bool {
        if case .string(let placeholder) = pattern, placeholder.hasPrefix("<"), placeholder.hasSuffix(">") {
            return matchesPlaceholder(placeholder, value)
        }
        guard let value else { return false }
        switch (pattern, value) {
        case (.object(let expected), .object(let actual)):
            return expected.allSatisfy { key, sub in matches(sub, actual[key]) }
        case (.array(let expected), .array(let actual)):
            return expected.count == actual.count && zip(expected, actual).allSatisfy { matches($0, $1) }
        default:
            return pattern == value
        }
    }

    private static func matchesPlaceholder(_ placeholder: String, _ value: JSONValue?) -> Bool {
        if placeholder == "<absent>" { return value == nil }
        guard let value else { return false }
        switch placeholder {
        case "<any>": return true
        case "<string>": return value.stringValue != nil
        case "<int>": return (value.intValue ?? -1) >= 0
        case "<number>": return value.doubleValue != nil
        case "<bool>": return value.boolValue != nil
        case "<object>": return value.objectValue != nil
        case "<array>": return value.arrayValue != nil
        default: return value == .string(placeholder)
        }
    }
}
